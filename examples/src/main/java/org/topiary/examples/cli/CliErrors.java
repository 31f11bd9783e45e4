package org.topiary.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** The one way the file commands report a failure: {@code topiary CMD: error: <message>}, exit 1. */
final class CliErrors {
    private CliErrors() {}

    /** Prints the failure to the command's error stream and returns exit code 1. */
    static int fail(CommandSpec spec, Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        err.flush();
        return 1;
    }
}

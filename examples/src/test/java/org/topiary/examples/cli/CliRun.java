package org.topiary.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs {@link TopiaryCli} in-process and captures what it prints.
 *
 * @param exitCode the exit code
 * @param out standard output
 * @param err standard error
 */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TopiaryCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}

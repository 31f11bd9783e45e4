package org.topiary.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The two ways a command reports a problem: a usage error (a bad option value, exit 2, picocli
 * prints the message and the usage) and a failure of a file command ({@code topiary CMD: error:
 * <message>}, exit 1).
 */
final class CliErrors {
    private CliErrors() {}

    /**
     * Builds a value from the command's options, turning a rejected value into a usage error.
     *
     * @param spec the command
     * @param build builds the value; throws {@link IllegalArgumentException} whose message names
     *     what was rejected (an option, or the options field behind it) and the value found
     * @return what {@code build} returned
     * @throws ParameterException with the same message when {@code build} throws {@link
     *     IllegalArgumentException}
     */
    static <T> T usage(CommandSpec spec, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The body of a file command: prints to {@code out}, throws what {@link #run} reports. */
    @FunctionalInterface
    interface FileAction {
        /**
         * Does the command's work.
         *
         * @param out the command's output stream (flushed by {@link #run})
         * @throws IOException if a file cannot be read or written
         */
        void run(PrintWriter out) throws IOException;
    }

    /**
     * Runs a file command's body: exit 0, or on {@link IOException}, {@link
     * IllegalArgumentException} or {@link IllegalStateException} the failure printed by {@link
     * #fail} and exit 1. The output stream is flushed either way, before the error.
     *
     * @param spec the command
     * @param action its work
     * @return the exit code
     */
    static int run(CommandSpec spec, FileAction action) {
        PrintWriter out = spec.commandLine().getOut();
        try {
            action.run(out);
            out.flush();
            return TopiaryCli.EXIT_OK;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            out.flush();
            return fail(spec, e);
        }
    }

    /** Prints the failure to the command's error stream and returns exit code 1. */
    static int fail(CommandSpec spec, Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        err.flush();
        return TopiaryCli.EXIT_FAILURE;
    }
}

package org.topiary.examples.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} for the commands that do not mix in {@link CommonOptions} (which has its
 * own, placed after the other common options): mix it in with {@code @Mixin HelpOption help;}.
 */
public final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** Creates the option; picocli fills it. */
    public HelpOption() {}
}

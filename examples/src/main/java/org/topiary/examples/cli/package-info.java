/**
 * The {@code topiary} command line (picocli). {@link org.topiary.examples.cli.TopiaryCli} is the
 * entry point; each sub-command is one class. Training commands ({@code demo}) mix in {@link
 * org.topiary.examples.cli.CommonOptions} and use a {@link
 * org.topiary.examples.cli.CommandSession} for the shared start (output folders, backend,
 * threads, data) and finish (table, report, charts, JSON). File commands ({@code inspect},
 * {@code export}, {@code strip}) work on saved models and take their own options.
 *
 * <p>Shared pieces, so that a command declares only what is its own: option mixins {@link
 * org.topiary.examples.cli.HelpOption} (commands without {@code CommonOptions}), {@link
 * org.topiary.examples.cli.GmpWindowOptions} (benchmarks on the FMNIST-GMP schedule) and {@link
 * org.topiary.examples.cli.MaxBatchesOption} (benchmarks with smoke runs); {@code CliErrors.usage}
 * (a rejected option value becomes a usage error) and {@code CliErrors.run} (a file command's
 * failure becomes exit 1); {@code BenchJson} for the JSON documents. Options whose help text
 * differs per command (e.g. {@code --seeds}, {@code --validation-fraction}) stay in the command.
 *
 * <p>To add a command: write {@code FooCommand implements Callable<Integer>} annotated with
 * {@code @Command(name = "foo")}, mix in {@code CommonOptions} if it trains, and add the class to
 * the {@code subcommands} list of {@code TopiaryCli}.
 *
 * <p>Exit codes: 0 success (also {@code --help}), 1 failure (bad data or output location, training
 * error, unsupported GPU), 2 usage error (unknown option, bad value).
 */
package org.topiary.examples.cli;

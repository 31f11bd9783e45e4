/**
 * What a command leaves behind: the results table (text for the terminal, Markdown for {@code
 * report.md}), PNG charts, {@code report.md} and the JSON result file ({@code docs/cli-json.md}).
 * All files are written atomically.
 *
 * <p>Entry points: {@link org.topiary.examples.report.CommandReport} (the data), {@link
 * org.topiary.examples.report.ResultsTable}, {@link org.topiary.examples.report.Charts} (all chart
 * code), {@link org.topiary.examples.report.MarkdownReport}, {@link
 * org.topiary.examples.report.JsonReport}.
 */
package org.topiary.examples.report;

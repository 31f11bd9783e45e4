package org.topiary.examples.report;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.topiary.examples.io.AtomicFiles;

/**
 * Writes {@code <out>/report.md}: what ran, on which data and machine, the results tables and the
 * charts.
 */
public final class MarkdownReport {

    /** File name inside the run folder. */
    public static final String FILE_NAME = "report.md";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private MarkdownReport() {}

    /**
     * Renders the report.
     *
     * @param report what to report
     * @param charts the charts already written to the run folder
     * @return the Markdown text
     */
    public static String render(CommandReport report, List<Charts.ChartFile> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# topiary ").append(report.command()).append("\n\n");
        md.append("- Command: `topiary ")
                .append(report.command());
        for (String arg : report.arguments()) {
            md.append(' ').append(arg);
        }
        md.append("`\n");
        md.append("- Finished: ").append(TIME.format(report.createdAt())).append('\n');
        md.append("- Data: ").append(report.data().describe()).append('\n');
        md.append("- Machine: ").append(report.machine().describe()).append('\n');
        md.append("- Backend: ND4J ").append(report.backend().describe()).append('\n');
        md.append('\n');
        md.append("## Results\n\n");
        md.append(ResultsTable.summary(report.runs()).toMarkdown()).append('\n');
        md.append("Test accuracy after the last epoch. Sparsity: fraction of prunable weights")
                .append(" (weight matrices and kernels, never biases) that are exactly zero;")
                .append(" layer sparsity in network order. Non-zero params counts every")
                .append(" parameter. Model file: ModelSerializer zip without updater state.")
                .append(" Train time excludes evaluation.\n\n");
        if (!report.shrinks().isEmpty()) {
            md.append("## Shrunk network\n\n");
            md.append(ResultsTable.shrinks(report.shrinks()).toMarkdown()).append('\n');
            md.append("The hidden neurons with the lowest L1 norm of incoming weights were removed from the")
                    .append(" trained network and a smaller standard DL4J network was built (model surgery; the")
                    .append(" removed neurons' constant outputs are folded into the next bias), then fine-tuned.")
                    .append(" Inference time per batch of 256: medians of interleaved rounds; the speedup is the")
                    .append(" median of the per-round ratios.\n\n");
        }
        md.append("## Sparsity per layer\n\n");
        md.append(ResultsTable.layers(report.runs()).toMarkdown()).append('\n');
        md.append("## Charts\n\n");
        for (Charts.ChartFile chart : charts) {
            md.append("![").append(chart.title()).append("](").append(chart.fileName()).append(")\n\n");
        }
        return md.toString();
    }

    /**
     * Writes the report atomically into the run folder.
     *
     * @param report what to report
     * @param charts the charts already written to the run folder
     * @return the path written
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static Path write(CommandReport report, List<Charts.ChartFile> charts) {
        Path file = report.outDir().resolve(FILE_NAME);
        AtomicFiles.writeString(file, render(report, charts));
        return file;
    }
}

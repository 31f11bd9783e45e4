package org.topiary.examples.report;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.topiary.examples.train.LayerSparsity;
import org.topiary.examples.train.RunResult;

/**
 * A table of strings that renders as aligned text (terminal) or Markdown ({@code report.md}). The
 * two factories decide which numbers appear; the JSON output carries the same numbers unformatted.
 */
public final class ResultsTable {

    private final List<String> header;
    private final List<Boolean> rightAligned;
    private final List<List<String>> rows;

    private ResultsTable(List<String> header, List<Boolean> rightAligned, List<List<String>> rows) {
        this.header = List.copyOf(header);
        this.rightAligned = List.copyOf(rightAligned);
        this.rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : this.rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException(
                        "row has " + row.size() + " cells, header has " + header.size());
            }
        }
    }

    /**
     * One row per run: test accuracy, total and per-layer sparsity, non-zero parameters, model
     * file size, training time and throughput.
     *
     * @param runs the runs
     * @return the table
     */
    public static ResultsTable summary(List<RunResult> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            rows.add(
                    List.of(
                            r.name(),
                            Formats.accuracy(r.testAccuracy()),
                            Formats.sparsity(r.sparsity()),
                            r.weights().layers().stream()
                                    .map(l -> Formats.sparsity(l.sparsity()).replace(" ", ""))
                                    .collect(Collectors.joining(" / ")),
                            Formats.count(r.nonzeroParams()),
                            Formats.bytes(r.modelFileBytes()),
                            Formats.seconds(r.trainSeconds()),
                            Formats.rate(r.examplesPerSecond())));
        }
        return new ResultsTable(
                List.of(
                        "run",
                        "test accuracy",
                        "sparsity",
                        "layer sparsity",
                        "non-zero params",
                        "model file",
                        "train time",
                        "examples/s"),
                List.of(false, true, true, true, true, true, true, true),
                rows);
    }

    /**
     * One row per run and prunable weight parameter: shape, non-zeros and sparsity.
     *
     * @param runs the runs
     * @return the table
     */
    public static ResultsTable layers(List<RunResult> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (RunResult r : runs) {
            for (LayerSparsity l : r.weights().layers()) {
                rows.add(
                        List.of(
                                r.name(),
                                l.layerName(),
                                l.param(),
                                l.shape().stream().map(String::valueOf).collect(Collectors.joining("x")),
                                Formats.count(l.nonzero()) + " / " + Formats.count(l.size()),
                                Formats.sparsity(l.sparsity())));
            }
        }
        return new ResultsTable(
                List.of("run", "layer", "param", "shape", "non-zero", "sparsity"),
                List.of(false, false, false, true, true, true),
                rows);
    }

    /**
     * One row per shrink step: units, parameters, accuracy before and after fine-tuning, and the
     * batch-256 inference time and speedup.
     *
     * @param shrinks the shrink steps
     * @return the table
     */
    public static ResultsTable shrinks(List<ShrinkSummary> shrinks) {
        List<List<String>> rows = new ArrayList<>();
        for (ShrinkSummary s : shrinks) {
            rows.add(
                    List.of(
                            s.run(),
                            s.source(),
                            String.join(" / ", s.units().values()),
                            Formats.count(s.paramsBefore()) + " -> " + Formats.count(s.paramsAfter()),
                            Formats.accuracy(s.accuracyBeforeFineTune()),
                            Formats.accuracy(s.accuracyAfterFineTune()),
                            String.format(java.util.Locale.ROOT, "%.2f -> %.2f ms", s.denseB256Ms(), s.shrunkB256Ms()),
                            String.format(java.util.Locale.ROOT, "%.2fx", s.speedupB256())));
        }
        return new ResultsTable(
                List.of("run", "from", "units", "params", "acc. shrunk", "acc. fine-tuned", "batch 256", "speedup"),
                List.of(false, false, false, true, true, true, true, true),
                rows);
    }

    /** The header cells. */
    public List<String> header() {
        return header;
    }

    /** The body rows. */
    public List<List<String>> rows() {
        return rows;
    }

    /** Aligned plain text with a dashed rule under the header, one line per row. */
    public String toText() {
        int[] widths = widths();
        StringBuilder sb = new StringBuilder();
        appendLine(sb, header, widths, "  ");
        List<String> rule = new ArrayList<>();
        for (int w : widths) {
            rule.add("-".repeat(w));
        }
        appendLine(sb, rule, widths, "  ");
        for (List<String> row : rows) {
            appendLine(sb, row, widths, "  ");
        }
        return sb.toString();
    }

    /** A GitHub-flavoured Markdown table. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (boolean right : rightAligned) {
            sb.append(right ? " ---: |" : " --- |");
        }
        sb.append('\n');
        for (List<String> row : rows) {
            sb.append("| ")
                    .append(row.stream().map(c -> c.replace("|", "\\|")).collect(Collectors.joining(" | ")))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private int[] widths() {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        return widths;
    }

    private void appendLine(StringBuilder sb, List<String> cells, int[] widths, String gap) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append(gap);
            }
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            line.append(rightAligned.get(c) ? pad + cell : cell + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}

package org.topiary.examples.search;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.examples.io.AtomicFiles;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.json.SparsityJson;

/**
 * The files a search writes into its run folder:
 *
 * <ul>
 *   <li>{@value #TABLE}: every candidate (settings, validation accuracy, sparsity, non-zeros,
 *       shrunk shape and params, shrunk and full-size latency and their ratio, time, status,
 *       score), Markdown;
 *   <li>{@value #CSV}: the same, one row per candidate;
 *   <li>{@value #PARETO}: validation accuracy against sparsity, every completed candidate, the
 *       Pareto front joined by a line, the best candidate marked;
 *   <li>{@value #PARETO_LATENCY}: the same against the shrunk/full-size latency ratio (lower is
 *       better), the chart to read for a latency-bounded search;
 *   <li>{@value #BEST_CONFIG}: the best candidate's pruning configuration for a run over the full
 *       training set ({@code topiary prune --config FILE} reads it, with the same {@code
 *       --epochs});
 *   <li>{@value #BEST_SETTINGS}: all of the best candidate's settings, including the L1 and
 *       distillation values that a {@code PruningConfig} cannot express (schema {@value
 *       #SETTINGS_SCHEMA}, documented in {@code docs/cli-json.md}).
 * </ul>
 */
public final class SearchReport {

    /** Results table file name. */
    public static final String TABLE = "candidates.md";

    /** CSV file name. */
    public static final String CSV = "candidates.csv";

    /** Pareto chart file name (validation accuracy against sparsity). */
    public static final String PARETO = "pareto.png";

    /** Pareto chart file name (validation accuracy against the shrunk/full-size latency ratio). */
    public static final String PARETO_LATENCY = "pareto-latency.png";

    /** Best pruning configuration file name. */
    public static final String BEST_CONFIG = "best-pruning-config.json";

    /** Best settings file name. */
    public static final String BEST_SETTINGS = "best-settings.json";

    /** {@code schema} of {@value #BEST_SETTINGS}. */
    public static final String SETTINGS_SCHEMA = "topiary-search-settings";

    /** {@code version} of {@value #BEST_SETTINGS}. */
    public static final int SETTINGS_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SearchReport() {}

    /**
     * Writes the table, CSV, chart and (if a candidate completed) the best configuration.
     *
     * @param dir the run folder (exists)
     * @param result the search
     * @param fullTrainingSteps optimizer steps of a run over the full training set with the
     *     search's epochs: the best configuration's schedule is expressed in these steps
     * @param allocator the search's allocator (for sensitivity allocation)
     * @return the files written
     */
    public static Files write(Path dir, SearchResult result, long fullTrainingSteps, LayerAllocator allocator) {
        Objects.requireNonNull(dir, "dir");
        AtomicFiles.writeString(dir.resolve(TABLE), markdown(result));
        AtomicFiles.writeString(dir.resolve(CSV), csv(result));
        for (Map.Entry<String, TradeOff> e : Map.of(PARETO, TradeOff.SPARSITY, PARETO_LATENCY, TradeOff.LATENCY_RATIO).entrySet()) {
            XYChart chart = pareto(result, e.getValue());
            AtomicFiles.write(dir.resolve(e.getKey()), out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        }
        Optional<CandidateRecord> best = result.best();
        if (best.isPresent()) {
            CandidateSettings s = best.get().settings();
            PruningConfig config = s.pruningConfig(fullTrainingSteps, allocator);
            AtomicFiles.writeString(dir.resolve(BEST_CONFIG), SparsityJson.toJson(config));
            AtomicFiles.writeString(dir.resolve(BEST_SETTINGS), render(settingsJson(s, best.get().index())));
        }
        return new Files(dir.resolve(TABLE), dir.resolve(CSV), dir.resolve(PARETO), dir.resolve(PARETO_LATENCY),
                best.map(b -> dir.resolve(BEST_CONFIG)), best.map(b -> dir.resolve(BEST_SETTINGS)));
    }

    /**
     * What {@link #write} wrote.
     *
     * @param table {@value #TABLE}
     * @param csv {@value #CSV}
     * @param pareto {@value #PARETO}
     * @param paretoLatency {@value #PARETO_LATENCY}
     * @param bestConfig {@value #BEST_CONFIG}, absent when no candidate completed
     * @param bestSettings {@value #BEST_SETTINGS}, absent when no candidate completed
     */
    public record Files(Path table, Path csv, Path pareto, Path paretoLatency, Optional<Path> bestConfig, Optional<Path> bestSettings) {}

    /** The results table as Markdown. */
    public static String markdown(SearchResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Generator %s, budget %s, constraint %s, %d candidates (%d failed), %.0f s%n%n",
                r.generator().id(), r.budget(), r.constraint().describe(), r.candidates().size(), r.failed(),
                r.wallTime().toMillis() / 1000.0));
        b.append("| # | final sparsity | begin | end | every | allocation | pattern | L1 | λ | KD | T | α "
                + "| val. accuracy | sparsity | non-zero weights | non-zero params | shrunk shape | shrunk params "
                + "| latency (ms) | full-size (ms) | latency ratio | time (s) | status | score |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Optional<CandidateRecord> best = r.best();
        for (CandidateRecord c : r.candidates()) {
            CandidateSettings s = c.settings();
            String mark = best.isPresent() && best.get().index() == c.index() ? " **best**" : "";
            b.append("| ").append(c.index()).append(mark).append(" | ");
            if (s == null) {
                b.append("– | – | – | – | – | – | – | – | – | – | – | ");
            } else {
                b.append(String.format(Locale.ROOT, "%.4f | %.3f | %.3f | %d | %s | %s | %s | %s | %s | %s | %s | ",
                        s.finalSparsity(), s.beginFraction(), s.endFraction(), s.frequency(), s.allocation().id(),
                        s.pattern().id(), s.l1().id(), s.l1() == L1Mode.NONE ? "–" : String.format(Locale.ROOT, "%.3g", s.l1Strength()),
                        s.distill() ? "on" : "off",
                        s.distill() ? String.format(Locale.ROOT, "%.2f", s.temperature()) : "–",
                        s.distill() ? String.format(Locale.ROOT, "%.2f", s.alpha()) : "–"));
            }
            if (c.metrics().isPresent()) {
                CandidateMetrics m = c.metrics().get();
                b.append(String.format(Locale.ROOT, "%.2f %% | %.4f | %d | %d | %s | %d | %.3f | %.3f | %.3f | ",
                        100 * m.validationAccuracy(), m.sparsity(), m.nonzeroWeights(), m.nonzeroParams(),
                        m.shrunkShape(), m.shrunkParams(), m.latencyMillis(), m.denseLatencyMillis(), m.latencyRatio()));
            } else {
                b.append("– | – | – | – | – | – | – | – | – | ");
            }
            b.append(String.format(Locale.ROOT, "%.1f | %s | %s |%n", c.seconds(),
                    c.status() == CandidateRecord.Status.COMPLETE
                            ? (c.isFeasible(r.constraint()) ? "complete" : "complete (infeasible)")
                            : "FAILED: " + c.error().orElse("").replace("|", "/"),
                    Double.isFinite(c.score()) ? String.format(Locale.ROOT, "%.4f", c.score()) : "–"));
        }
        return b.toString();
    }

    /** The results as CSV with a header row. */
    public static String csv(SearchResult r) {
        StringBuilder b = new StringBuilder("index,status,final_sparsity,begin_fraction,end_fraction,frequency,"
                + "allocation,pattern,l1,l1_strength,distill,temperature,alpha,validation_accuracy,sparsity,"
                + "nonzero_weights,nonzero_params,shrunk_shape,shrunk_params,latency_ms,dense_latency_ms,latency_ratio,"
                + "seconds,score,feasible,error\n");
        for (CandidateRecord c : r.candidates()) {
            CandidateSettings s = c.settings();
            b.append(c.index()).append(',').append(c.status().name().toLowerCase(Locale.ROOT)).append(',');
            if (s == null) {
                b.append(",,,,,,,,,,,");
            } else {
                b.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%s,%s,%s,%s,%s,%s,", s.finalSparsity(),
                        s.beginFraction(), s.endFraction(), s.frequency(), s.allocation().id(), s.pattern().id(), s.l1().id(),
                        s.l1Strength(), s.distill(), s.temperature(), s.alpha()));
            }
            if (c.metrics().isPresent()) {
                CandidateMetrics m = c.metrics().get();
                b.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%s,%d,%s,%s,%s,", m.validationAccuracy(), m.sparsity(),
                        m.nonzeroWeights(), m.nonzeroParams(), m.shrunkShape(), m.shrunkParams(), m.latencyMillis(),
                        m.denseLatencyMillis(), m.latencyRatio()));
            } else {
                b.append(",,,,,,,,,");
            }
            b.append(String.format(Locale.ROOT, "%.3f,%s,%s,\"%s\"%n", c.seconds(),
                    Double.isFinite(c.score()) ? Double.toString(c.score()) : "",
                    c.isFeasible(r.constraint()), c.error().orElse("").replace("\"", "'")));
        }
        return b.toString();
    }

    /** Validation accuracy (%) against {@code tradeOff}, the Pareto front and the best candidate. */
    static XYChart pareto(SearchResult r, TradeOff tradeOff) {
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("Search: validation accuracy vs " + tradeOff.label())
                .xAxisTitle(tradeOff.axisTitle())
                .yAxisTitle("validation accuracy (%)")
                .build();
        chart.getStyler().setLegendPosition(tradeOff.higherIsBetter() ? Styler.LegendPosition.InsideSW : Styler.LegendPosition.InsideSE);
        List<CandidateRecord> done = r.candidates().stream().filter(c -> c.metrics().isPresent()).toList();
        if (done.isEmpty()) {
            chart.addSeries("no completed candidate", new double[] {0}, new double[] {0});
            return chart;
        }
        XYSeries all = chart.addSeries("candidates", x(done, tradeOff), y(done));
        all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        all.setMarker(SeriesMarkers.CIRCLE);
        List<CandidateRecord> front = r.paretoFront(tradeOff);
        XYSeries line = chart.addSeries("Pareto front", x(front, tradeOff), y(front));
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.DIAMOND);
        r.best().ifPresent(b -> {
            XYSeries s = chart.addSeries("best (#" + b.index() + ")", x(List.of(b), tradeOff), y(List.of(b)));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.SQUARE);
        });
        return chart;
    }

    private static double[] x(List<CandidateRecord> cs, TradeOff tradeOff) {
        return cs.stream().mapToDouble(c -> tradeOff.value(c.metrics().orElseThrow())).toArray();
    }

    private static double[] y(List<CandidateRecord> cs) {
        return cs.stream().mapToDouble(c -> 100 * c.metrics().orElseThrow().validationAccuracy()).toArray();
    }

    /** The settings of one candidate as the {@value #BEST_SETTINGS} object. */
    public static ObjectNode settingsJson(CandidateSettings s, int index) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SETTINGS_SCHEMA);
        root.put("version", SETTINGS_VERSION);
        root.put("candidate", index);
        root.set("settings", settings(s));
        root.put("pruning_config_file", BEST_CONFIG);
        return root;
    }

    /** One candidate's settings as a JSON object (snake_case fields, see docs/cli-json.md). */
    public static ObjectNode settings(CandidateSettings s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("final_sparsity", s.finalSparsity());
        o.put("begin_fraction", s.beginFraction());
        o.put("end_fraction", s.endFraction());
        o.put("frequency", s.frequency());
        o.put("allocation", s.allocation().id());
        o.put("l1", s.l1().id());
        o.put("l1_strength", s.l1Strength());
        o.put("distill", s.distill());
        o.put("temperature", s.temperature());
        o.put("alpha", s.alpha());
        o.put("pattern", s.pattern().id());
        return o;
    }

    /**
     * The search as the {@code search} object of the {@code --json} output.
     *
     * @param r the search
     * @param space its space
     * @param probe how candidates were timed
     * @param trainExamples examples candidates trained on
     * @param validationExamples examples candidates were scored on
     * @return the object (see docs/cli-json.md)
     */
    public static ObjectNode toJson(
            SearchResult r, SearchSpace space, LatencyProbe probe, int trainExamples, int validationExamples) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("generator", r.generator().id());
        r.budget().candidates().ifPresentOrElse(n -> o.put("budget_candidates", n), () -> o.putNull("budget_candidates"));
        r.budget().duration().ifPresentOrElse(d -> o.put("budget_seconds", d.toSeconds()), () -> o.putNull("budget_seconds"));
        o.put("min_sparsity", r.constraint().minSparsity());
        if (r.constraint().maxNonzeroParams() == Long.MAX_VALUE) {
            o.putNull("max_nonzero_params");
        } else {
            o.put("max_nonzero_params", r.constraint().maxNonzeroParams());
        }
        putBound(o, "max_latency_ms", r.constraint().maxLatencyMillis());
        putBound(o, "max_latency_ratio", r.constraint().maxLatencyRatio());
        ObjectNode timing = o.putObject("latency_probe");
        timing.put("batch", probe.batch());
        timing.put("warm_up_calls", probe.warmUpCalls());
        timing.put("rounds", probe.rounds());
        timing.put("block_ms", probe.blockMillis());
        ArrayNode sp = o.putArray("space");
        for (String line : space.describe().split("\n")) {
            sp.add(line);
        }
        o.put("train_examples", trainExamples);
        o.put("validation_examples", validationExamples);
        o.put("wall_seconds", r.wallTime().toMillis() / 1000.0);
        o.put("failed", r.failed());
        ArrayNode cs = o.putArray("candidates");
        for (CandidateRecord c : r.candidates()) {
            ObjectNode n = cs.addObject();
            n.put("index", c.index());
            n.put("status", c.status().name().toLowerCase(Locale.ROOT));
            if (c.settings() == null) {
                n.putNull("settings");
            } else {
                n.set("settings", settings(c.settings()));
            }
            if (c.metrics().isPresent()) {
                CandidateMetrics m = c.metrics().get();
                n.put("validation_accuracy", m.validationAccuracy());
                n.put("sparsity", m.sparsity());
                n.put("nonzero_weights", m.nonzeroWeights());
                n.put("nonzero_params", m.nonzeroParams());
                n.put("shrunk_shape", m.shrunkShape());
                n.put("shrunk_params", m.shrunkParams());
                n.put("latency_ms", m.latencyMillis());
                n.put("dense_latency_ms", m.denseLatencyMillis());
                n.put("latency_ratio", m.latencyRatio());
                n.put("score", c.score());
                n.put("feasible", c.isFeasible(r.constraint()));
            } else {
                n.putNull("validation_accuracy");
                n.putNull("sparsity");
                n.putNull("nonzero_weights");
                n.putNull("nonzero_params");
                n.putNull("shrunk_shape");
                n.putNull("shrunk_params");
                n.putNull("latency_ms");
                n.putNull("dense_latency_ms");
                n.putNull("latency_ratio");
                n.putNull("score");
                n.put("feasible", false);
            }
            n.put("seconds", c.seconds());
            c.error().ifPresentOrElse(e -> n.put("error", e), () -> n.putNull("error"));
        }
        r.best().ifPresentOrElse(b -> o.put("best_index", b.index()), () -> o.putNull("best_index"));
        ArrayNode front = o.putArray("pareto_indices");
        r.paretoFront().forEach(c -> front.add(c.index()));
        ArrayNode latencyFront = o.putArray("pareto_latency_indices");
        r.paretoFront(TradeOff.LATENCY_RATIO).forEach(c -> latencyFront.add(c.index()));
        return o;
    }

    private static void putBound(ObjectNode o, String field, double bound) {
        if (bound == Double.POSITIVE_INFINITY) {
            o.putNull(field);
        } else {
            o.put(field, bound);
        }
    }

    static String render(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + node, e);
        }
    }
}

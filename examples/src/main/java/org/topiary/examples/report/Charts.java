package org.topiary.examples.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.topiary.examples.io.AtomicFiles;
import org.topiary.examples.train.EpochStats;
import org.topiary.examples.train.LayerSparsity;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.TracePoint;

/**
 * All chart code: renders PNGs with XChart, off-screen ({@code java.awt.headless=true} is set
 * before the first chart if the caller has not set it).
 *
 * <ul>
 *   <li>{@value #ACCURACY}: test accuracy per epoch, one line per run;
 *   <li>{@value #SCHEDULE}: target sparsity over steps with the achieved sparsity overlaid, for
 *       runs that recorded a trace (the file is omitted when none did);
 *   <li>{@value #LAYER_SPARSITY}: sparsity per prunable weight parameter, one bar per run.
 * </ul>
 */
public final class Charts {

    /** File name of the accuracy chart. */
    public static final String ACCURACY = "accuracy.png";

    /** File name of the sparsity-schedule chart. */
    public static final String SCHEDULE = "sparsity-schedule.png";

    /** File name of the per-layer sparsity chart. */
    public static final String LAYER_SPARSITY = "layer-sparsity.png";

    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    private Charts() {}

    /**
     * A chart written to the run folder.
     *
     * @param title what it shows (used as the image's alt text)
     * @param fileName file name inside the run folder
     */
    public record ChartFile(String title, String fileName) {
        /** Validates the components. */
        public ChartFile {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(fileName, "fileName");
        }
    }

    /**
     * Renders every applicable chart into {@code dir}.
     *
     * @param dir an existing, writable folder
     * @param runs the runs to plot (at least one)
     * @return the charts written, in report order
     * @throws java.io.UncheckedIOException naming the file if one cannot be written
     */
    public static List<ChartFile> writeAll(Path dir, List<RunResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("runs must not be empty");
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<ChartFile> files = new ArrayList<>();
        files.add(write(dir, ACCURACY, accuracy(runs)));
        if (runs.stream().anyMatch(r -> !r.trace().isEmpty())) {
            files.add(write(dir, SCHEDULE, schedule(runs)));
        }
        files.add(write(dir, LAYER_SPARSITY, layerSparsity(runs)));
        return files;
    }

    static XYChart accuracy(List<RunResult> runs) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title("Test accuracy per epoch")
                        .xAxisTitle("epoch")
                        .yAxisTitle("test accuracy (%)")
                        .build();
        int maxEpochs = runs.stream().mapToInt(RunResult::epochCount).max().orElse(1);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax((double) maxEpochs);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (RunResult r : runs) {
            double[] x = r.epochs().stream().mapToDouble(EpochStats::epoch).toArray();
            double[] y = r.epochs().stream().mapToDouble(e -> 100 * e.testAccuracy()).toArray();
            chart.addSeries(r.name(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    static XYChart schedule(List<RunResult> runs) {
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title("Sparsity schedule: target and achieved")
                        .xAxisTitle("step (optimizer updates)")
                        .yAxisTitle("sparsity of prunable weights (%)")
                        .build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        for (RunResult r : runs) {
            if (r.trace().isEmpty()) {
                continue;
            }
            double[] steps = r.trace().stream().mapToDouble(TracePoint::step).toArray();
            double[] target =
                    r.trace().stream().mapToDouble(p -> 100 * p.targetSparsity()).toArray();
            double[] achieved =
                    r.trace().stream().mapToDouble(p -> 100 * p.achievedSparsity()).toArray();
            chart.addSeries(r.name() + " target", steps, target).setMarker(SeriesMarkers.NONE);
            XYSeries measured = chart.addSeries(r.name() + " achieved", steps, achieved);
            measured.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            measured.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    static CategoryChart layerSparsity(List<RunResult> runs) {
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title("Sparsity per layer")
                        .xAxisTitle("weight parameter")
                        .yAxisTitle("exactly zero (%)")
                        .build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Set<String> categories = new LinkedHashSet<>();
        runs.forEach(r -> r.weights().layers().forEach(l -> categories.add(label(l))));
        List<String> x = List.copyOf(categories);
        for (RunResult r : runs) {
            Map<String, Double> byLabel =
                    r.weights().layers().stream()
                            .collect(Collectors.toMap(Charts::label, l -> 100 * l.sparsity()));
            List<Double> y = x.stream().map(byLabel::get).toList();
            chart.addSeries(r.name(), x, y.stream().map(Function.<Number>identity()).toList());
        }
        return chart;
    }

    private static String label(LayerSparsity l) {
        return l.layerName() + " (" + l.param() + ")";
    }

    private static ChartFile write(Path dir, String fileName, Chart<?, ?> chart) {
        AtomicFiles.write(
                dir.resolve(fileName),
                out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return new ChartFile(chart.getTitle(), fileName);
    }
}

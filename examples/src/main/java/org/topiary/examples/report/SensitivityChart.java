package org.topiary.examples.report;

import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.topiary.examples.io.AtomicFiles;
import org.topiary.sparsity.auto.SensitivityCurve;

/**
 * The sensitivity chart ({@value #FILE}): validation accuracy against the sparsity of one tensor
 * pruned alone, one line per tensor, the unpruned accuracy at sparsity 0. Measured points are
 * drawn; the allocator uses their monotone envelope.
 */
public final class SensitivityChart {

    /** File name of the chart. */
    public static final String FILE = "sensitivity.png";

    /** Title of the dense-model chart. */
    public static final String DENSE_TITLE = "Sensitivity: each tensor pruned alone (one-shot magnitude)";

    /** X-axis title of the dense-model chart. */
    public static final String DENSE_X_AXIS = "sparsity of the tensor (%)";

    private SensitivityChart() {}

    /** The chart of {@code curves} (at least one). */
    static XYChart chart(List<SensitivityCurve> curves, String metricName) {
        return chart(curves, metricName, DENSE_TITLE, DENSE_X_AXIS);
    }

    /** The chart of {@code curves} with a title and an x-axis title. */
    static XYChart chart(List<SensitivityCurve> curves, String metricName, String title, String xAxisTitle) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("curves must not be empty");
        }
        XYChart chart =
                new XYChartBuilder()
                        .width(Charts.WIDTH)
                        .height(Charts.HEIGHT)
                        .title(title)
                        .xAxisTitle(xAxisTitle)
                        .yAxisTitle(metricName + " (%)")
                        .build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(100.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        for (SensitivityCurve c : curves) {
            double[] s = c.sparsities();
            double[] m = c.metrics();
            double[] x = new double[s.length + 1];
            double[] y = new double[s.length + 1];
            x[0] = 0;
            y[0] = 100 * c.baseline();
            for (int j = 0; j < s.length; j++) {
                x[j + 1] = 100 * s[j];
                y[j + 1] = 100 * m[j];
            }
            chart.addSeries(c.tensorId() + " (" + c.size() + ")", x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /**
     * Writes the chart into {@code dir}.
     *
     * @return the chart file written
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static Charts.ChartFile write(Path dir, List<SensitivityCurve> curves, String metricName) {
        return write(dir, curves, metricName, DENSE_TITLE, DENSE_X_AXIS);
    }

    /**
     * Writes the chart into {@code dir} with a title and an x-axis title (e.g. for survivor
     * curves, whose x axis is the fraction of the survivors pruned further).
     *
     * @return the chart file written
     * @throws java.io.UncheckedIOException naming the file if it cannot be written
     */
    public static Charts.ChartFile write(Path dir, List<SensitivityCurve> curves, String metricName, String title,
            String xAxisTitle) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYChart chart = chart(curves, metricName, title, xAxisTitle);
        AtomicFiles.write(dir.resolve(FILE), out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return new Charts.ChartFile(chart.getTitle(), FILE);
    }
}

package org.topiary.examples.search;

/**
 * What a search trades validation accuracy against: the second axis of a Pareto front. Accuracy
 * is always better higher; the trade-off's own direction is {@link #higherIsBetter()}.
 */
public enum TradeOff {
    /** Fraction of prunable weights that are zero: higher is better. Plotted in %. */
    SPARSITY("sparsity of prunable weights (%)", "sparsity", true) {
        @Override
        public double value(CandidateMetrics m) {
            return 100 * m.sparsity();
        }
    },

    /** Shrunk / full-size inference latency, measured in the same run: lower is better. */
    LATENCY_RATIO("latency of the shrunk network / full-size network", "latency ratio", false) {
        @Override
        public double value(CandidateMetrics m) {
            return m.latencyRatio();
        }
    };

    private final String axisTitle;
    private final String label;
    private final boolean higherIsBetter;

    TradeOff(String axisTitle, String label, boolean higherIsBetter) {
        this.axisTitle = axisTitle;
        this.label = label;
        this.higherIsBetter = higherIsBetter;
    }

    /** The candidate's value on this axis, in the unit of {@link #axisTitle()}. */
    public abstract double value(CandidateMetrics m);

    /** Whether a higher value is better. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Axis title of a chart. */
    public String axisTitle() {
        return axisTitle;
    }

    /** Short name for titles. */
    public String label() {
        return label;
    }

    /** The value oriented so that higher is better. */
    double merit(CandidateMetrics m) {
        return higherIsBetter ? value(m) : -value(m);
    }
}

package org.topiary.sparsity.dl4j.surgery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a surgery changed: parameter counts and units per layer, before and after.
 *
 * @param paramsBefore parameters of the source model (all params, including batch-norm statistics)
 * @param paramsAfter parameters of the shrunk model
 * @param layers one entry per dense, output, convolution and batch-normalization layer, in
 *     topological order
 */
public record ShrinkReport(long paramsBefore, long paramsAfter, List<LayerUnits> layers) {

    /** Validates and copies. */
    public ShrinkReport {
        layers = List.copyOf(layers);
    }

    /** Units removed over all layers. */
    public long removedUnits() {
        return layers.stream().mapToLong(l -> l.removed().size()).sum();
    }

    /** {@code paramsAfter / paramsBefore}. */
    public double paramRatio() {
        return paramsBefore == 0 ? 1.0 : (double) paramsAfter / paramsBefore;
    }

    /** Units per layer as {@code "before->after"}, keyed by layer id, in order. */
    public Map<String, String> unitsByLayer() {
        Map<String, String> m = new LinkedHashMap<>();
        for (LayerUnits l : layers) {
            m.put(l.layer(), l.before() + "->" + l.after());
        }
        return m;
    }

    /** A plain-text table: one line per layer, then the parameter counts. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %-20s %8s %8s %s%n", "layer", "type", "before", "after", "dead but kept"));
        for (LayerUnits l : layers) {
            sb.append(String.format(Locale.ROOT, "%-16s %-20s %8d %8d %d%n", l.layer(), l.type(), l.before(), l.after(), l.keptDead().size()));
        }
        sb.append(String.format(Locale.ROOT, "params: %d -> %d (%.1f%%)%n", paramsBefore, paramsAfter, 100.0 * paramRatio()));
        return sb.toString();
    }
}

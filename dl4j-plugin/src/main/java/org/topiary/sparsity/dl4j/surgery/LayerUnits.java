package org.topiary.sparsity.dl4j.surgery;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The units (neurons of a dense layer, filters of a convolution, channels of a batch
 * normalization) of one layer in a {@link SurgeryPlan}.
 *
 * @param layer the layer id: its index in a MultiLayerNetwork, its vertex name in a
 *     ComputationGraph (the prefix of its param keys, e.g. {@code "0"} in {@code "0_W"})
 * @param type the layer configuration's simple class name, e.g. {@code "DenseLayer"}
 * @param before units before the surgery ({@code nOut})
 * @param removed indices of the removed units, ascending
 * @param keptDead units whose incoming weights are all zero but which stay, with the reason (for
 *     example a zero-padding convolution consumer that cannot absorb their constant exactly)
 */
public record LayerUnits(String layer, String type, long before, List<Integer> removed, SortedMap<Integer, String> keptDead) {

    /** Validates and copies. */
    public LayerUnits {
        removed = List.copyOf(removed);
        keptDead = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(keptDead));
    }

    static LayerUnits of(String layer, String type, long before, List<Integer> removed, Map<Integer, String> keptDead) {
        return new LayerUnits(layer, type, before, removed, new TreeMap<>(keptDead));
    }

    /** Units after the surgery. */
    public long after() {
        return before - removed.size();
    }
}

package org.topiary.examples.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.topiary.sparsity.structure.GroupScorer;
import org.topiary.sparsity.structure.SparsityPattern;

/**
 * Which weights a candidate's masks may remove.
 *
 * <ul>
 *   <li>{@link #UNSTRUCTURED}: any weight on its own ({@link SparsityPattern#elements()}); the
 *       network keeps its shape, so surgery rarely removes anything and the shrunk model is about
 *       as fast as the dense one.
 *   <li>{@link #NEURONS}: whole hidden neurons ({@link SparsityPattern#groups(GroupScorer)} with
 *       the L1 norm of a neuron's incoming weights as its score). The final sparsity is the
 *       fraction of each hidden layer's neurons removed (the output layer is never pruned by
 *       groups); a removed neuron's incoming weights and bias are 0, so {@code
 *       SurgeryPlan} removes it exactly and the shrunk model is really smaller (90 % of
 *       LeNet-300-100's neurons: 784-30-10-10). Pruning is layer by layer, so with this pattern
 *       the allocation is always {@link AllocationMode#LAYER} ({@link CandidateSettings#of}
 *       normalises it). The element sparsity it reports is a little below the final sparsity:
 *       the output layer's weights and the outgoing weights of removed neurons are not masked
 *       (surgery removes the latter).
 * </ul>
 */
public enum PatternMode {
    /** Any weight on its own (the default, the behaviour before patterns). */
    UNSTRUCTURED,
    /** Whole hidden neurons, lowest L1 norm of incoming weights first. */
    NEURONS;

    /** The lower-case name used on the command line, in tables and JSON. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mask pattern of the pruning configuration. */
    public SparsityPattern sparsityPattern() {
        return this == NEURONS ? SparsityPattern.groups(GroupScorer.l1()) : SparsityPattern.elements();
    }

    /**
     * Parses {@link #id()}.
     *
     * @param text {@code unstructured} or {@code neurons} (any case)
     * @return the mode
     * @throws IllegalArgumentException listing the valid names
     */
    public static PatternMode parse(String text) {
        for (PatternMode m : values()) {
            if (m.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "pattern must be one of "
                        + Arrays.stream(values()).map(PatternMode::id).collect(Collectors.joining(", "))
                        + ", found '" + text + "'");
    }
}

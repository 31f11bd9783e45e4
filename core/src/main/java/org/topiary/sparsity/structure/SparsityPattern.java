package org.topiary.sparsity.structure;

import org.topiary.sparsity.internal.Checks;

/**
 * What a mask may look like: any set of elements (the default), whole groups (output neurons,
 * filters, LSTM units, attention heads), N:M (exactly {@code n} kept in every run of {@code m}
 * consecutive weights along the input dimension) or blocks of {@code rows × cols} weights.
 *
 * <p><b>How the schedule drives each pattern.</b> The schedule's sparsity {@code s} at a step is
 *
 * <ul>
 *   <li>{@link Elements}: the fraction of elements pruned (unchanged behaviour);
 *   <li>{@link Groups}: the fraction of groups removed, {@code round(s·G)} lowest-score groups of
 *       a layer's {@code G} (at least one group kept);
 *   <li>{@link NOfM}: the element sparsity; {@code round(s / (1 − n/m) · G_m)} of a tensor's
 *       {@code G_m} runs of {@code m} are <i>converted</i> to n:m, cheapest first (the run whose
 *       {@code m − n} lowest scores sum to the least), so the element sparsity follows the
 *       schedule and reaches {@code 1 − n/m} (every run n:m) at the end. The schedule's final
 *       sparsity must be exactly {@code 1 − n/m}: 0.5 for 2:4 and 4:8;
 *   <li>{@link Blocks}: the fraction of blocks removed, {@code round(s·B)} lowest-score blocks
 *       (block score = sum of element scores, the L1 norm for magnitude), at least one kept.
 * </ul>
 *
 * <p>Masks of every pattern are monotone (a pruned group, block or converted run stays so)
 * unless the configuration's strategy allows regrowth. Structured patterns prune layer by layer:
 * {@link org.topiary.sparsity.Scope#GLOBAL} is refused.
 *
 * <p>JSON ({@code "pattern"} in {@code SparsityJson} version 2): {@code {"type": "groups",
 * "scorer": {"type": "l1"}}}, {@code {"type": "n-of-m", "n": 2, "m": 4}}, {@code {"type":
 * "blocks", "rows": 1, "cols": 4}}; absent means elements.
 */
public sealed interface SparsityPattern
        permits SparsityPattern.Elements,
                SparsityPattern.Groups,
                SparsityPattern.NOfM,
                SparsityPattern.Blocks {

    /** Stable type id used in Topiary's JSON. */
    String typeId();

    /** Any element may be pruned on its own (unstructured). */
    static SparsityPattern elements() {
        return Elements.INSTANCE;
    }

    /** Whole groups, ranked by {@code scorer}. */
    static SparsityPattern groups(GroupScorer scorer) {
        return new Groups(scorer);
    }

    /** Exactly {@code n} kept in every run of {@code m} consecutive input weights, e.g. 2:4. */
    static SparsityPattern nOfM(int n, int m) {
        return new NOfM(n, m);
    }

    /** Blocks of {@code rows} outputs × {@code cols} consecutive inputs, e.g. 1×4 or 4×4. */
    static SparsityPattern blocks(int rows, int cols) {
        return new Blocks(rows, cols);
    }

    /** Unstructured: the behaviour of Topiary before patterns existed. */
    enum Elements implements SparsityPattern {
        INSTANCE;

        /** Type id in Topiary's JSON. */
        public static final String TYPE = "elements";

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String toString() {
            return TYPE;
        }
    }

    /**
     * Whole groups.
     *
     * @param scorer how groups are ranked (lower is removed first)
     */
    record Groups(GroupScorer scorer) implements SparsityPattern {
        /** Type id in Topiary's JSON. */
        public static final String TYPE = "groups";

        public Groups {
            Checks.notNull("scorer", scorer);
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String toString() {
            return "groups(" + scorer.typeId() + ")";
        }
    }

    /**
     * N:M semi-structured sparsity.
     *
     * @param n weights kept per run, {@code 1 <= n < m}
     * @param m run length along the input dimension, {@code 2 <= m <= 64}
     */
    record NOfM(int n, int m) implements SparsityPattern {
        /** Type id in Topiary's JSON. */
        public static final String TYPE = "n-of-m";

        public NOfM {
            Checks.isTrue(m >= 2 && m <= 64, "m must be in [2, 64], found %d", m);
            Checks.isTrue(n >= 1 && n < m, "n must be in [1, m) = [1, %d), found %d", m, n);
        }

        /** The element sparsity of a fully converted tensor, {@code 1 − n/m}. */
        public double sparsity() {
            return 1.0 - (double) n / m;
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String toString() {
            return n + ":" + m;
        }
    }

    /**
     * Block sparsity on the weight seen as an {@code [outputs, inputs]} matrix.
     *
     * @param rows block height in outputs, {@code >= 1}
     * @param cols block width in consecutive inputs, {@code >= 1}; not both 1
     */
    record Blocks(int rows, int cols) implements SparsityPattern {
        /** Type id in Topiary's JSON. */
        public static final String TYPE = "blocks";

        public Blocks {
            Checks.isTrue(rows >= 1, "rows must be >= 1, found %d", rows);
            Checks.isTrue(cols >= 1, "cols must be >= 1, found %d", cols);
            Checks.isTrue(
                    rows * (long) cols >= 2,
                    "a 1x1 block is one element; use SparsityPattern.elements() instead");
        }

        @Override
        public String typeId() {
            return TYPE;
        }

        @Override
        public String toString() {
            return rows + "x" + cols + " blocks";
        }
    }
}

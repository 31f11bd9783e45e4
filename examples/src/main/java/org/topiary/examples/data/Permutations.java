package org.topiary.examples.data;

/**
 * Seeded permutations that can be reproduced outside Java.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): {@code state += 0x9E3779B97F4A7C15; return mix64(state)}, with the
 * {@code mix64} finalizer below. A permutation of {@code 0..n-1} starts from the identity and
 * applies Fisher–Yates from the end: for {@code i = n-1} down to {@code 1}, draw {@code j}
 * uniformly in {@code [0, i]} and swap positions {@code i} and {@code j}. {@code j} is drawn
 * without modulo bias: {@code r = next() >>> 1} is redrawn while {@code r >= 2^63 - (2^63 mod
 * (i+1))}, then {@code j = r mod (i+1)}.
 *
 * <p>Every permutation depends only on its key, never on earlier draws, so epoch {@code e} of a
 * training run can be rebuilt on its own (for example to resume, or to replay the batch order in
 * another framework).
 */
final class Permutations {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** Separates the keys of validation splits from the keys of epoch orders. */
    private static final long SPLIT_SALT = 0x53504C4954L; // "SPLIT"

    private Permutations() {}

    /**
     * The order of epoch {@code epoch}: the permutation keyed by {@code mix64(seed) + epoch}.
     *
     * @param n number of examples, {@code >= 0}
     * @param seed the run's seed
     * @param epoch 0 for the first epoch
     * @return a new array holding a permutation of {@code 0..n-1}
     */
    static int[] epochOrder(int n, long seed, long epoch) {
        return shuffled(n, mix64(seed) + epoch);
    }

    /**
     * The order in which the examples of one class are dealt to a validation split: the
     * permutation keyed by {@code mix64(seed ^ SPLIT_SALT) + classIndex}.
     */
    static int[] classOrder(int n, long seed, int classIndex) {
        return shuffled(n, mix64(seed ^ SPLIT_SALT) + classIndex);
    }

    /** The Fisher–Yates permutation of {@code 0..n-1} drawn from SplitMix64 started at key. */
    static int[] shuffled(int n, long key) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long state = key;
        for (int i = n - 1; i > 0; i--) {
            int bound = i + 1;
            long rejectAbove = Long.MAX_VALUE - pow63Mod(bound); // values r > this are redrawn
            long r;
            do {
                state += GOLDEN_GAMMA;
                r = mix64(state) >>> 1;
            } while (r > rejectAbove);
            int j = (int) (r % bound);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** {@code 2^63 mod bound}, computed without overflow. */
    private static long pow63Mod(int bound) {
        return (Long.MAX_VALUE % bound + 1) % bound;
    }

    /** The SplitMix64 output function (Stafford's "Mix13" variant of the MurmurHash3 finalizer). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

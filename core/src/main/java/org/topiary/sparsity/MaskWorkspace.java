package org.topiary.sparsity;

import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.internal.ScoreOrder;

/**
 * Working memory reused across the mask updates of one model, so that a training loop does not
 * allocate tensor-sized Java arrays at every update: per pruned tensor an {@code int} image of its
 * scores and a byte per entry (5 bytes per weight), plus one 64k-entry histogram.
 *
 * <p><b>Why.</b> Fresh arrays at each update feed the garbage collector: on LeNet-300-100 ≈ 3 MB
 * per update, two of them large enough to be G1 "humongous" allocations whose pauses (35–50 ms)
 * land inside the update. Reused arrays take the update out of the collector's way.
 *
 * <p><b>Memory.</b> The arrays are held through {@link SoftReference}s: they stay while memory is
 * plentiful and the collector may clear them before it would throw {@code OutOfMemoryError}; a
 * cleared array is reallocated at the next update. The contents between calls are undefined.
 *
 * <p><b>Not thread-safe.</b> One workspace per model and training thread ({@code PruningListener}
 * holds one per bound model). {@link Pruner#computeMasks(java.util.List, long)} without a workspace
 * uses a fresh one per call.
 */
public final class MaskWorkspace {
    /** Entries of the radix-selection histogram ({@code internal.ScoreOrder}). */
    public static final int HISTOGRAM_SIZE = ScoreOrder.BUCKETS;

    private final Map<Long, SoftReference<int[]>> ints = new HashMap<>();
    private final Map<Long, SoftReference<byte[]>> bytes = new HashMap<>();
    private SoftReference<int[]> histogram = new SoftReference<>(null);

    private MaskWorkspace() {}

    /** An empty workspace; arrays are allocated on first use. */
    public static MaskWorkspace create() {
        return new MaskWorkspace();
    }

    /**
     * An {@code int} array of exactly {@code length} entries for {@code slot} (contents undefined);
     * the same array for the same slot and length until the collector reclaims it.
     */
    public int[] ints(int slot, int length) {
        return pooled(ints, slot, length, int[]::new);
    }

    /** Like {@link #ints} for a {@code byte} array (a separate pool). */
    public byte[] bytes(int slot, int length) {
        return pooled(bytes, slot, length, byte[]::new);
    }

    /** An all-zero histogram of {@link #HISTOGRAM_SIZE} entries. */
    public int[] zeroedHistogram() {
        int[] h = histogram.get();
        if (h == null) {
            h = new int[HISTOGRAM_SIZE];
            histogram = new SoftReference<>(h);
        } else {
            java.util.Arrays.fill(h, 0);
        }
        return h;
    }

    private static <T> T pooled(Map<Long, SoftReference<T>> pool, int slot, int length, IntFunction<T> allocate) {
        Checks.isTrue(slot >= 0, "slot must be >= 0, found %d", slot);
        Checks.isTrue(length >= 0, "length must be >= 0, found %d", length);
        long key = ((long) slot << 32) | length;
        SoftReference<T> ref = pool.get(key);
        T a = ref == null ? null : ref.get();
        if (a == null) {
            a = allocate.apply(length);
            pool.put(key, new SoftReference<>(a));
        }
        return a;
    }
}

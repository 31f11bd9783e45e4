package org.topiary.distill.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 64-bit hash of each example's feature values, the key of cached teacher logits.
 *
 * <p>Values are compared as float32 ({@code -0.0} equals {@code 0.0}, all NaNs are equal), in
 * C order, together with the row length. The mixing is MurmurHash3-style over pairs of values
 * packed into 64-bit words (multiply, rotate, xor, and the 64-bit finalizer). Two different rows collide with probability about {@code 2^-64};
 * among {@code n} examples about {@code n²/2^65} (60,000 examples: 1e-10). A cache detects a
 * collision while it is built when the two examples' teacher logits differ.
 */
public final class FeatureHash {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private FeatureHash() {}

    /** One hash per example (dimension 0) of {@code features}. */
    public static long[] rows(INDArray features) {
        int b = (int) features.size(0);
        INDArray f = features.dataType() == DataType.FLOAT ? features : features.castTo(DataType.FLOAT);
        boolean contiguous = f.ordering() == 'c' && !f.isView() && f.data().length() == f.length();
        float[] data = (contiguous ? f : f.dup('c')).data().asFloat();
        int n = b == 0 ? 0 : data.length / b;
        long[] out = new long[b];
        for (int i = 0; i < b; i++) {
            out[i] = row(data, i * n, n);
        }
        return out;
    }

    static long row(float[] data, int offset, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int end = offset + length;
        int j = offset;
        for (; j + 1 < end; j += 2) {
            long k = ((long) bits(data[j]) << 32) | (bits(data[j + 1]) & 0xffffffffL);
            k *= C1;
            k = Long.rotateLeft(k, 31) * C2;
            h ^= k;
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729L;
        }
        if (j < end) {
            long k = (bits(data[j]) & 0xffffffffL) * C1;
            h ^= Long.rotateLeft(k, 31) * C2;
        }
        return fmix(h ^ length);
    }

    /** Float bits with {@code -0.0} as {@code 0.0} and one NaN. */
    private static int bits(float v) {
        return Float.floatToIntBits(v == 0f ? 0f : v);
    }

    static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}

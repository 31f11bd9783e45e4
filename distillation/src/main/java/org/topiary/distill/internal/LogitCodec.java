package org.topiary.distill.internal;

import java.nio.ByteBuffer;

/**
 * The byte form of one example's logits: all {@code C} as float32, or the top {@code k} as
 * (int32 class, float32 logit) pairs followed by one float32 for every other class (the rule is
 * documented on {@code CacheOptions}).
 */
final class LogitCodec {
    final int numClasses;
    final int topK;
    final int payloadBytes;

    LogitCodec(int numClasses, int topK) {
        if (topK != 0 && topK >= numClasses) {
            throw new IllegalArgumentException(
                    "topK must be < the number of classes (" + numClasses + "), found " + topK
                            + "; use CacheOptions without withTopK to keep every logit");
        }
        this.numClasses = numClasses;
        this.topK = topK;
        this.payloadBytes = topK == 0 ? 4 * numClasses : 8 * topK + 4;
    }

    void encode(float[] src, int off, ByteBuffer dst) {
        if (topK == 0) {
            for (int c = 0; c < numClasses; c++) {
                dst.putFloat(src[off + c]);
            }
            return;
        }
        int[] top = topIndices(src, off);
        boolean[] kept = new boolean[numClasses];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < numClasses; c++) {
            max = Math.max(max, src[off + c]);
        }
        for (int idx : top) {
            kept[idx] = true;
            dst.putInt(idx);
            dst.putFloat(src[off + idx]);
        }
        double tail = 0;
        double tailMax = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < numClasses; c++) {
            if (!kept[c]) {
                tail += Math.exp(src[off + c] - max);
                tailMax = Math.max(tailMax, src[off + c]);
            }
        }
        double rest = tail > 0 ? max + Math.log(tail / (numClasses - topK)) : tailMax;
        dst.putFloat((float) rest);
    }

    void decode(ByteBuffer src, float[] dst, int off) {
        if (topK == 0) {
            for (int c = 0; c < numClasses; c++) {
                dst[off + c] = src.getFloat();
            }
            return;
        }
        int[] idx = new int[topK];
        float[] val = new float[topK];
        for (int i = 0; i < topK; i++) {
            idx[i] = src.getInt();
            val[i] = src.getFloat();
        }
        float rest = src.getFloat();
        java.util.Arrays.fill(dst, off, off + numClasses, rest);
        for (int i = 0; i < topK; i++) {
            dst[off + idx[i]] = val[i];
        }
    }

    /** Indices of the k largest values, largest first; ties go to the lower index. */
    private int[] topIndices(float[] src, int off) {
        int[] best = new int[topK];
        int filled = 0;
        for (int c = 0; c < numClasses; c++) {
            float v = src[off + c];
            if (filled == topK && !(v > src[off + best[topK - 1]])) {
                continue;
            }
            int pos = filled == topK ? topK - 1 : filled++;
            while (pos > 0 && v > src[off + best[pos - 1]]) {
                best[pos] = best[pos - 1];
                pos--;
            }
            best[pos] = c;
        }
        return best;
    }
}

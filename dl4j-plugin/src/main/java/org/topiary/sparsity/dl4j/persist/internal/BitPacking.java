package org.topiary.sparsity.dl4j.persist.internal;

/**
 * Packs booleans into bits: element {@code i} is bit {@code i % 8} (least significant first) of
 * byte {@code i / 8}; unused high bits of the last byte are 0.
 */
public final class BitPacking {
    private BitPacking() {}

    /** Bytes needed for {@code n} bits. */
    public static int bytesFor(long n) {
        return Math.toIntExact((n + 7) / 8);
    }

    public static byte[] pack(boolean[] bits) {
        byte[] out = new byte[bytesFor(bits.length)];
        for (int i = 0; i < bits.length; i++) {
            if (bits[i]) {
                out[i >>> 3] |= (byte) (1 << (i & 7));
            }
        }
        return out;
    }

    /** Unpacks {@code n} bits; returns null when a padding bit of the last byte is set. */
    public static boolean[] unpack(byte[] packed, int n) {
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = (packed[i >>> 3] & (1 << (i & 7))) != 0;
        }
        for (int i = n; i < packed.length * 8; i++) {
            if ((packed[i >>> 3] & (1 << (i & 7))) != 0) {
                return null;
            }
        }
        return out;
    }

    /** Number of set bits. */
    public static long count(byte[] packed) {
        long c = 0;
        for (byte b : packed) {
            c += Integer.bitCount(b & 0xff);
        }
        return c;
    }
}

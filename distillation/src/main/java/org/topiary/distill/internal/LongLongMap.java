package org.topiary.distill.internal;

/**
 * An open-addressing map from {@code long} keys to non-negative {@code long} values (linear
 * probing, load factor at most 1/2): about 32 bytes per entry and no boxing.
 */
final class LongLongMap {
    private long[] keys = new long[1024];
    private long[] values = newValues(1024);
    private int size;

    private static long[] newValues(int n) {
        long[] v = new long[n];
        java.util.Arrays.fill(v, -1L);
        return v;
    }

    int size() {
        return size;
    }

    /** The value of {@code key}, or -1. */
    long get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long v = values[i];
            if (v < 0) {
                return -1;
            }
            if (keys[i] == key) {
                return v;
            }
        }
    }

    /** Sets {@code key} to {@code value >= 0}. */
    void put(long key, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("value must be >= 0, found " + value);
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (values[i] < 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = newValues(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] >= 0) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) (FeatureHash.fmix(key) & mask);
    }
}

package org.topiary.examples.backend;

/**
 * How many native threads ND4J should use, and where that number came from.
 *
 * <p>Precedence: the {@code --threads} option, then the {@code OMP_NUM_THREADS} environment
 * variable, then {@link #DEFAULT}. On the 2-core reference machine 1 and 2 threads train
 * LeNet-300-100 equally fast within noise, and 1 is robust on a busy machine (see {@code
 * docs/benchmarks.md}).
 *
 * @param count number of native threads, {@code >= 1}
 * @param source where the number came from, e.g. {@code "--threads"}
 */
public record ThreadCount(int count, String source) {

    /** Native threads when neither {@code --threads} nor {@code OMP_NUM_THREADS} is given. */
    public static final int DEFAULT = 1;

    /** Validates the components. */
    public ThreadCount {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, found " + count);
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must not be blank");
        }
    }

    /**
     * Resolves the thread count.
     *
     * @param option value of {@code --threads}, or {@code null} when not given
     * @param ompNumThreads value of {@code OMP_NUM_THREADS}, or {@code null} when unset
     * @return the thread count and its source
     * @throws IllegalArgumentException if {@code option < 1}, or if the option is absent and
     *     {@code OMP_NUM_THREADS} is set but not a positive integer
     */
    public static ThreadCount resolve(Integer option, String ompNumThreads) {
        if (option != null) {
            if (option < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, found " + option);
            }
            return new ThreadCount(option, "--threads");
        }
        if (ompNumThreads != null && !ompNumThreads.isBlank()) {
            int parsed;
            try {
                parsed = Integer.parseInt(ompNumThreads.trim());
            } catch (NumberFormatException e) {
                parsed = 0;
            }
            if (parsed < 1) {
                throw new IllegalArgumentException(
                        "OMP_NUM_THREADS must be a positive integer, found '"
                                + ompNumThreads
                                + "'; unset it or pass --threads N");
            }
            return new ThreadCount(parsed, "OMP_NUM_THREADS");
        }
        return new ThreadCount(DEFAULT, "default");
    }
}

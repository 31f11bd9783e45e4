package org.topiary.distill;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.topiary.sparsity.internal.Checks;

/**
 * How {@link TeacherSource#cached} stores teacher logits: in memory or in a file, all {@code C}
 * logits per example or only the top {@code k}.
 *
 * <p><b>Memory.</b> All logits take {@code 8 + 4C} bytes per example (60,000 examples of 10
 * classes: 2.9 MB); top-k takes {@code 8 + 8k + 4} bytes. A file keeps only an index in memory
 * (about 32 bytes per example) and reads records on demand.
 *
 * <p><b>Top-k rule.</b> For each example the {@code k} largest logits are stored exactly; every
 * other class gets the same value {@code r = m + log((1/(C − k)) Σ_{j ∉ top-k} exp(z_j − m))}
 * with {@code m = max_j z_j}: the tail's softmax mass is spread evenly. At temperature 1 this keeps
 * the teacher's probabilities of the top-k classes and the total probability of the rest exactly;
 * at other temperatures it is an approximation. (If the tail mass underflows in double precision,
 * {@code r} is the largest logit outside the top k.)
 *
 * <p><b>Shifted copies</b> ({@link #withShifts}): the cache also holds the logits of every shifted
 * copy of every example, {@code K} times the records and {@code K} teacher passes to build.
 *
 * <p>Immutable; {@code withX} returns a copy.
 */
public final class CacheOptions {
    private final Path file;
    private final int topK;
    private final ImageShifts shifts;

    private CacheOptions(Path file, int topK, ImageShifts shifts) {
        this.file = file;
        this.topK = topK;
        this.shifts = shifts;
    }

    /** All logits, in memory. */
    public static CacheOptions inMemory() {
        return new CacheOptions(null, 0, null);
    }

    /**
     * All logits, in {@code file} (created or overwritten), for data whose logits do not fit in
     * memory. Re-open it in a later run with {@link TeacherSource#openCache(Path)}.
     */
    public static CacheOptions inFile(Path file) {
        return new CacheOptions(Checks.notNull("file", file), 0, null);
    }

    /**
     * Keep only the {@code k} largest logits per example (see the class comment for the rest).
     *
     * @param k {@code >= 1} and less than the number of classes (checked when the cache is built)
     */
    public CacheOptions withTopK(int k) {
        Checks.positive("topK", k);
        return new CacheOptions(file, k, shifts);
    }

    /**
     * Also cache the teacher's logits of every shifted copy of every example: for each batch the
     * teacher runs on {@code shifts.apply(features, k)} for every shift {@code k} (the identity
     * included), so building costs {@code K} teacher passes and the cache holds up to {@code K}
     * times as many records. Training may then feed {@link ShiftedDataSetIterator} batches over
     * the same shift set (consistent distillation), or ask {@link TeacherSource#shiftAveraged}
     * for averages over the shifts, without running the teacher again.
     *
     * @param shifts the shift set; the features of the cached data must be images of its shape
     */
    public CacheOptions withShifts(ImageShifts shifts) {
        return new CacheOptions(file, topK, Checks.notNull("shifts", shifts));
    }

    /** The shift set whose copies are cached too, if any. */
    public Optional<ImageShifts> shifts() {
        return Optional.ofNullable(shifts);
    }

    /** The file, if the cache lives in one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** {@code k} of top-k, or 0 for all logits. */
    public int topK() {
        return topK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheOptions c && Objects.equals(file, c.file) && topK == c.topK
                && Objects.equals(shifts, c.shifts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, topK, shifts);
    }

    @Override
    public String toString() {
        return "CacheOptions{" + (file == null ? "memory" : "file=" + file) + (topK == 0 ? ", all logits" : ", topK=" + topK)
                + (shifts == null ? "" : ", " + shifts.size() + " shifted copies") + "}";
    }
}

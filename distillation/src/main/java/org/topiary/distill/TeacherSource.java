package org.topiary.distill;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.distill.internal.AveragedTeacher;
import org.topiary.distill.internal.CachedTeacher;
import org.topiary.distill.internal.ModelFiles;
import org.topiary.distill.internal.ModelTeacher;
import org.topiary.distill.internal.ShiftAveragedTeacher;

/**
 * Where the teacher's logits come from. One method: the logits for a batch of features.
 *
 * <pre>{@code
 * TeacherSource online = TeacherSource.online(teacherNet);                   // forward per batch
 * TeacherSource cached = TeacherSource.cached(online, data.train().iterator(512)); // once, in memory
 * TeacherSource onDisk = TeacherSource.cached(online, trainIter,
 *         CacheOptions.inFile(Path.of("teacher.logits")).withTopK(20));      // large data / vocab
 * TeacherSource again  = TeacherSource.openCache(Path.of("teacher.logits"));  // next run
 * TeacherSource both   = TeacherSource.averaged(TeacherSource.online(a), TeacherSource.online(b));
 * ImageShifts s = ImageShifts.square(1, 28, 28, 1);                          // 9 shifts of 0..1 px
 * TeacherSource copies = TeacherSource.cached(online, trainIter, CacheOptions.inMemory().withShifts(s));
 * TeacherSource tta    = TeacherSource.shiftAveraged(copies, s);             // no teacher pass
 * }</pre>
 *
 * <p><b>Logits.</b> A teacher is any MultiLayerNetwork or ComputationGraph with one output layer,
 * or a model file written by DL4J's {@code ModelSerializer}. It runs in inference mode ({@code
 * output(x, false)}: no dropout, batch-norm running statistics) and its parameters are never
 * changed. With an IDENTITY output the output is the logits; with a SOFTMAX output the logits are
 * {@code log p} (probabilities floored at the smallest normal number of their data type), which
 * differ from the raw logits by a per-example constant that every softmax, and so {@link
 * org.topiary.distill.conf.KdLoss}, ignores. Other output activations are rejected.
 *
 * <p>All sources return {@code [batch, C]} arrays for features {@code [batch, ...]}; {@link
 * #numClasses()} is {@code C}, or -1 when not known before the first batch. Sources are used by
 * one training thread at a time. A file cache holds its file open until {@link #close()}.
 */
public interface TeacherSource extends AutoCloseable {

    /**
     * The teacher's logits for a batch.
     *
     * @param features the student's input batch, {@code [batch, ...]}
     * @return logits {@code [batch, C]}, a new array the caller may keep
     */
    INDArray logits(INDArray features);

    /** The number of classes {@code C}, or -1 if unknown until the first batch. */
    long numClasses();

    /** Releases files a cache holds open; a no-op for other sources. */
    @Override
    default void close() {}

    /**
     * A teacher run on every batch, in inference mode.
     *
     * @param teacher a MultiLayerNetwork or ComputationGraph with one softmax or identity output
     *     layer; its parameters are only read
     */
    static TeacherSource online(Model teacher) {
        return ModelTeacher.of(teacher, "teacher");
    }

    /**
     * A teacher loaded from a model file ({@code ModelSerializer} zip of a MultiLayerNetwork or a
     * ComputationGraph), run on every batch.
     */
    static TeacherSource online(Path modelFile) {
        return ModelTeacher.of(ModelFiles.load(modelFile), "teacher " + modelFile);
    }

    /**
     * The mean of several teachers' logits, {@code (1/K) Σ_k z_k} (all teachers must have the same
     * number of classes).
     */
    static TeacherSource averaged(TeacherSource... teachers) {
        return AveragedTeacher.of(List.of(teachers));
    }

    /**
     * Targets averaged over small translations of the input (test-time augmentation of the
     * teacher): {@code z(x) = (1/K) Σ_k z_teacher(shift_k(x))} for the {@code K} shifts of {@code
     * shifts}, the identity included. The mean of logits is the normalised geometric mean of the
     * probabilities; averaging over inputs the teacher has not fitted exactly makes its targets on
     * its own training images less overconfident.
     *
     * <p>{@code teacher} is asked once per shift and batch; to pay for the {@code K} teacher passes
     * only once, give it a cache built with {@link CacheOptions#withShifts} over the same shifts;
     * such a cache serves unshifted inputs only (the targets of an already shifted image would
     * need shifts of shifts, which it does not hold, and fail with a "not in the cache" error).
     *
     * @param teacher any source, e.g. {@link #online(Model)} or such a cache
     * @param shifts the translations; the features must be images of their shape
     */
    static TeacherSource shiftAveraged(TeacherSource teacher, ImageShifts shifts) {
        return ShiftAveragedTeacher.of(teacher, shifts);
    }

    /** {@link #cached(TeacherSource, DataSetIterator, CacheOptions)} in memory, all logits. */
    static TeacherSource cached(TeacherSource teacher, DataSetIterator data) {
        return cached(teacher, data, CacheOptions.inMemory());
    }

    /**
     * Runs {@code teacher} once over {@code data} and serves its logits from then on, looked up by
     * the content of each example's features (a 64-bit hash of the feature values), so training may
     * visit the examples in any order and batch size.
     *
     * <p>{@code data} must yield the same feature values that training will see (no random
     * augmentation other than the shifts of {@link CacheOptions#withShifts}; a preprocessor is
     * fine if training uses the same one). It is consumed once: it
     * is reset first only if it is exhausted, and left at its end. Pass a separate iterator (e.g.
     * in file order with a large batch) to keep a training iterator's epoch order untouched.
     * During training, features that were not cached fail with an error that says so.
     *
     * @param teacher the source to cache, typically {@link #online(Model)} or {@link #averaged}
     * @param data the examples to cache
     * @param options memory or file, all logits or the top k
     */
    static TeacherSource cached(TeacherSource teacher, DataSetIterator data, CacheOptions options) {
        return CachedTeacher.build(teacher, data, options);
    }

    /** Re-opens a cache file written by {@link #cached(TeacherSource, DataSetIterator, CacheOptions)}. */
    static TeacherSource openCache(Path file) {
        return CachedTeacher.open(file);
    }
}

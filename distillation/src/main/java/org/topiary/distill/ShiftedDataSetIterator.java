package org.topiary.distill;

import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.sparsity.internal.Checks;

/**
 * Random-translation augmentation: wraps a training iterator and moves every example of every
 * batch by one shift of an {@link ImageShifts} set, drawn uniformly (identity included) and
 * independently per example from a seeded generator. Labels, masks and batch order are those of
 * the wrapped iterator.
 *
 * <p><b>Consistent distillation</b> (Beyer et al. 2022, "Knowledge distillation: A good teacher is
 * patient and consistent", arXiv:2106.05237): put this iterator <i>inside</i> the distillation
 * wrapper, so the teacher is asked for the logits of the same shifted image the student sees.
 * With a cache, build it with {@link CacheOptions#withShifts} over the same shift set, so every
 * shifted copy is in it:
 *
 * <pre>{@code
 * ImageShifts s = ImageShifts.square(1, 28, 28, 1);
 * TeacherSource t = TeacherSource.cached(TeacherSource.online(cnn), train.iterator(1000),
 *         CacheOptions.inMemory().withShifts(s));
 * DistillationTrainer.builder(student, t).build().fit(ShiftedDataSetIterator.wrap(trainIter, s, seed));
 * }</pre>
 *
 * The control "plain student with the same augmentation" is {@code student.fit(ShiftedDataSetIterator
 * .wrap(trainIter, s, seed))}: with the same seed and batch order it sees exactly the same images.
 *
 * <p><b>Randomness.</b> The shifts are drawn from one {@link SplittableRandom} stream of {@code
 * seed}, {@code batch} draws per batch in row order; {@link #reset()} does not restart it, so
 * every epoch sees new shifts, and two wrappers with the same seed over the same batches see the
 * same shifts. Not thread-safe; asynchronous prefetch runs it on the prefetch thread.
 */
public final class ShiftedDataSetIterator extends BatchMappingIterator {
    private static final long serialVersionUID = 1L;

    private final ImageShifts shifts;
    private final long seed;
    private final SplittableRandom random;

    private ShiftedDataSetIterator(DataSetIterator base, ImageShifts shifts, long seed) {
        super(base);
        this.shifts = Checks.notNull("shifts", shifts);
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** {@code base} with every example moved by a random shift of {@code shifts}, drawn with {@code seed}. */
    public static ShiftedDataSetIterator wrap(DataSetIterator base, ImageShifts shifts, long seed) {
        return new ShiftedDataSetIterator(base, shifts, seed);
    }

    /** The shift set. */
    public ImageShifts shifts() {
        return shifts;
    }

    /** Moves every example by a shift drawn from the generator, which carries on across resets (new shifts every epoch). */
    @Override
    DataSet map(DataSet d) {
        int n = (int) d.getFeatures().size(0);
        int[] k = new int[n];
        for (int i = 0; i < n; i++) {
            k[i] = random.nextInt(shifts.size());
        }
        return new DataSet(shifts.apply(d.getFeatures(), k), d.getLabels(), d.getFeaturesMaskArray(),
                d.getLabelsMaskArray());
    }

    @Override
    public String toString() {
        return "ShiftedDataSetIterator[" + base + ", " + shifts + ", seed " + seed + "]";
    }
}

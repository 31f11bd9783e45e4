package org.topiary.distill;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.internal.Checks;

/**
 * Wraps a training iterator and appends the teacher's logits to each batch's labels: labels
 * {@code [batch, C]} become {@code [batch, 2C] = [hard labels | teacher logits]}, the layout
 * {@link org.topiary.distill.conf.KdLoss} reads. Features, masks and batch order are those of the
 * wrapped iterator; the teacher is asked once per batch ({@link TeacherSource#logits}).
 *
 * <pre>{@code
 * DataSetIterator kd = KdDataSetIterator.wrap(trainIter, TeacherSource.online(teacher));
 * studentInKdForm.fit(kd, 10);
 * }</pre>
 *
 * <p>Reset, async prefetch support and labels are delegated to the wrapped iterator; when DL4J
 * prefetches asynchronously, the teacher runs on the prefetch thread. A preprocessor set on this
 * iterator runs on the widened batch; one set on the wrapped iterator runs before.
 */
public final class KdDataSetIterator extends BatchMappingIterator {
    private static final long serialVersionUID = 1L;

    private final transient TeacherSource teacher;

    private KdDataSetIterator(DataSetIterator base, TeacherSource teacher) {
        super(base);
        this.teacher = Checks.notNull("teacher", teacher);
    }

    /** {@code base} with the logits of {@code teacher} appended to every batch's labels. */
    public static KdDataSetIterator wrap(DataSetIterator base, TeacherSource teacher) {
        return new KdDataSetIterator(base, teacher);
    }

    /** Appends {@code teacher}'s logits for {@code batch}'s features to its labels. */
    public static DataSet widen(org.nd4j.linalg.dataset.api.DataSet batch, TeacherSource teacher) {
        INDArray hard = batch.getLabels();
        INDArray z = teacher.logits(batch.getFeatures());
        if (hard.rank() != 2 || z.rank() != 2 || z.size(0) != hard.size(0) || z.size(1) != hard.size(1)) {
            throw new IllegalArgumentException(
                    "teacher logits have shape " + Arrays.toString(z.shape()) + " but the student's labels have shape "
                            + Arrays.toString(hard.shape()) + ": teacher (" + teacher + ") and student must have the"
                            + " same number of classes and the labels must be [batch, classes]");
        }
        INDArray labels = Nd4j.hstack(hard, z.castTo(hard.dataType()));
        return new DataSet(batch.getFeatures(), labels, batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
    }

    /** The wrapped iterator. */
    public DataSetIterator base() {
        return base;
    }

    /** The teacher. */
    public TeacherSource teacher() {
        return teacher;
    }

    @Override
    DataSet map(DataSet batch) {
        return widen(batch, teacher);
    }

    /** Twice the wrapped iterator's, the width of the widened labels. */
    @Override
    public int totalOutcomes() {
        int c = base.totalOutcomes();
        return c > 0 ? 2 * c : c;
    }

    @Override
    public String toString() {
        return "KdDataSetIterator[" + base + " + " + teacher + "]";
    }
}

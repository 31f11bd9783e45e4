package org.topiary.distill.internal;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.distill.TeacherSource;

/** The mean of several teachers' logits. */
public final class AveragedTeacher implements TeacherSource {
    private final List<TeacherSource> teachers;
    private final long numClasses;

    private AveragedTeacher(List<TeacherSource> teachers, long numClasses) {
        this.teachers = teachers;
        this.numClasses = numClasses;
    }

    /** @throws IllegalArgumentException if empty, or if two teachers declare different widths */
    public static AveragedTeacher of(List<TeacherSource> teachers) {
        if (teachers.isEmpty()) {
            throw new IllegalArgumentException("averaged() needs at least one teacher");
        }
        long c = -1;
        for (int i = 0; i < teachers.size(); i++) {
            TeacherSource t = teachers.get(i);
            if (t == null) {
                throw new IllegalArgumentException("teacher " + i + " of averaged() is null");
            }
            if (t.numClasses() > 0) {
                if (c > 0 && t.numClasses() != c) {
                    throw new IllegalArgumentException(
                            "averaged teachers must have the same number of classes: teacher 0.." + (i - 1)
                                    + " give [batch, " + c + "], teacher " + i + " (" + t + ") gives [batch, "
                                    + t.numClasses() + "]");
                }
                c = t.numClasses();
            }
        }
        return new AveragedTeacher(List.copyOf(teachers), c);
    }

    @Override
    public INDArray logits(INDArray features) {
        INDArray sum = teachers.get(0).logits(features).dup();
        for (int i = 1; i < teachers.size(); i++) {
            INDArray z = teachers.get(i).logits(features);
            if (!Arrays.equals(z.shape(), sum.shape())) {
                throw new IllegalArgumentException(
                        "averaged teachers disagree: teacher 0 gives logits of shape " + Arrays.toString(sum.shape())
                                + ", teacher " + i + " (" + teachers.get(i) + ") gives " + Arrays.toString(z.shape()));
            }
            sum.addi(z.castTo(sum.dataType()));
        }
        return sum.divi(teachers.size());
    }

    @Override
    public long numClasses() {
        return numClasses;
    }

    @Override
    public void close() {
        teachers.forEach(TeacherSource::close);
    }

    @Override
    public String toString() {
        return "average of " + teachers;
    }
}

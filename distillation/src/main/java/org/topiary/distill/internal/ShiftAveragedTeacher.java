package org.topiary.distill.internal;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.distill.ImageShifts;
import org.topiary.distill.TeacherSource;

/** The mean of a teacher's logits over the shifted copies of each input (test-time augmentation). */
public final class ShiftAveragedTeacher implements TeacherSource {
    private final TeacherSource teacher;
    private final ImageShifts shifts;

    private ShiftAveragedTeacher(TeacherSource teacher, ImageShifts shifts) {
        this.teacher = teacher;
        this.shifts = shifts;
    }

    /** @throws IllegalArgumentException if either is null */
    public static ShiftAveragedTeacher of(TeacherSource teacher, ImageShifts shifts) {
        if (teacher == null || shifts == null) {
            throw new IllegalArgumentException("shiftAveraged() needs a teacher and a shift set, found teacher="
                    + teacher + ", shifts=" + shifts);
        }
        return new ShiftAveragedTeacher(teacher, shifts);
    }

    @Override
    public INDArray logits(INDArray features) {
        INDArray sum = null;
        for (int k = 0; k < shifts.size(); k++) {
            INDArray z = teacher.logits(shifts.apply(features, k)).castTo(DataType.FLOAT);
            if (sum == null) {
                sum = z.dup();
            } else if (!Arrays.equals(z.shape(), sum.shape())) {
                throw new IllegalArgumentException("the teacher (" + teacher + ") gave logits of shape "
                        + Arrays.toString(z.shape()) + " for shift " + k + " but " + Arrays.toString(sum.shape())
                        + " for shift 0");
            } else {
                sum.addi(z);
            }
        }
        return sum.divi(shifts.size());
    }

    @Override
    public long numClasses() {
        return teacher.numClasses();
    }

    @Override
    public void close() {
        teacher.close();
    }

    @Override
    public String toString() {
        return teacher + " averaged over " + shifts.size() + " shifts";
    }
}

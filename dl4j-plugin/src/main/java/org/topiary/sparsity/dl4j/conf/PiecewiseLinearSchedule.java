package org.topiary.sparsity.dl4j.conf;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.topiary.sparsity.internal.Checks;

/**
 * An ND4J {@link ISchedule} that interpolates linearly between knots {@code (steps[i],
 * values[i])} and holds the first and last value outside them: warm-up, ramp, hold and decay of a
 * regularization coefficient in one immutable value with {@code equals}, which ND4J's own {@code
 * RampSchedule} lacks (so configurations holding it would not compare equal after a JSON round
 * trip).
 *
 * <pre>
 *   x = iteration (ScheduleType.ITERATION) or epoch (ScheduleType.EPOCH)
 *   value(x) = values[0]                                   x &lt;= steps[0]
 *            = values[i] + (x − steps[i]) / (steps[i+1] − steps[i]) · (values[i+1] − values[i])
 *                                                          steps[i] &lt;= x &lt; steps[i+1]
 *            = values[n−1]                                 x &gt;= steps[n−1]
 * </pre>
 *
 * <p>A step may appear twice in a row to make a jump; at that step the second value holds. DL4J
 * passes a regularizer the iteration count <em>before</em> the current update (0 for the first
 * update), so {@code x = step − 1} in Topiary's step convention.
 *
 * <p>JSON inside a DL4J configuration:
 *
 * <pre>{@code
 * {"@class": "org.topiary.sparsity.dl4j.conf.PiecewiseLinearSchedule",
 *  "scheduleType": "ITERATION", "steps": [0, 469, 2814, 3283], "values": [0.0, 1.0E-4, 1.0E-4, 0.0]}
 * }</pre>
 */
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.NONE,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class PiecewiseLinearSchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    @JsonProperty("scheduleType")
    private final ScheduleType scheduleType;

    @JsonProperty("steps")
    private final int[] steps;

    @JsonProperty("values")
    private final double[] values;

    @JsonCreator
    private PiecewiseLinearSchedule(
            @JsonProperty("scheduleType") ScheduleType scheduleType,
            @JsonProperty("steps") int[] steps,
            @JsonProperty("values") double[] values) {
        this.scheduleType = Checks.notNull("scheduleType", scheduleType);
        Checks.notNull("steps", steps);
        Checks.notNull("values", values);
        Checks.isTrue(steps.length >= 1, "steps must hold at least one step, found []");
        Checks.isTrue(
                steps.length == values.length,
                "steps and values must have the same length, found %d steps and %d values",
                steps.length,
                values.length);
        for (int i = 0; i < steps.length; i++) {
            Checks.isTrue(steps[i] >= 0, "steps must be >= 0, found steps[%d] = %d", i, steps[i]);
            Checks.isTrue(
                    Double.isFinite(values[i]),
                    "values must be finite, found values[%d] = %s",
                    i,
                    values[i]);
            if (i > 0) {
                Checks.isTrue(
                        steps[i] >= steps[i - 1],
                        "steps must not decrease, found steps[%d] = %d after %d",
                        i,
                        steps[i],
                        steps[i - 1]);
            }
            if (i > 1) {
                Checks.isTrue(
                        !(steps[i] == steps[i - 1] && steps[i] == steps[i - 2]),
                        "a step may appear at most twice (a jump), found %d three times",
                        steps[i]);
            }
        }
        this.steps = steps.clone();
        this.values = values.clone();
    }

    /** Knots {@code (steps[i], values[i])}; steps non-decreasing, a step at most twice (a jump). */
    public static PiecewiseLinearSchedule of(ScheduleType type, int[] steps, double[] values) {
        return new PiecewiseLinearSchedule(type, steps, values);
    }

    /**
     * {@code from} until {@code begin}, then linearly to {@code to} at {@code end}, then {@code
     * to}: a warm-up ramp ({@code from = 0}) or a linear decay ({@code to = 0}).
     */
    public static PiecewiseLinearSchedule ramp(ScheduleType type, double from, double to, int begin, int end) {
        return of(type, new int[] {begin, end}, new double[] {from, to});
    }

    /**
     * 0 until {@code rampBegin}, linearly up to {@code value} at {@code rampEnd}, held until {@code
     * decayBegin}, linearly down to 0 at {@code decayEnd}, then 0. Equal begin and end make a jump:
     * {@code trapezoid(ITERATION, 1e-4, 0, 0, 469, 469)} is {@code 1e-4} for iterations 0..468 and
     * 0 from iteration 469 on.
     */
    public static PiecewiseLinearSchedule trapezoid(
            ScheduleType type, double value, int rampBegin, int rampEnd, int decayBegin, int decayEnd) {
        Checks.isTrue(
                rampBegin <= rampEnd && rampEnd <= decayBegin && decayBegin <= decayEnd,
                "rampBegin <= rampEnd <= decayBegin <= decayEnd must hold, found %d, %d, %d, %d",
                rampBegin,
                rampEnd,
                decayBegin,
                decayEnd);
        return of(
                type,
                new int[] {rampBegin, rampEnd, decayBegin, decayEnd},
                new double[] {0.0, value, value, 0.0});
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        int x = scheduleType == ScheduleType.ITERATION ? iteration : epoch;
        int i = -1;
        for (int j = 0; j < steps.length && steps[j] <= x; j++) {
            i = j;
        }
        if (i < 0) {
            return values[0];
        }
        if (i == steps.length - 1) {
            return values[i];
        }
        double frac = (double) (x - steps[i]) / (steps[i + 1] - steps[i]);
        return values[i] + frac * (values[i + 1] - values[i]);
    }

    /** Whether the schedule counts iterations or epochs. */
    public ScheduleType scheduleType() {
        return scheduleType;
    }

    /** The knot positions (a copy). */
    public int[] steps() {
        return steps.clone();
    }

    /** The knot values (a copy). */
    public double[] values() {
        return values.clone();
    }

    @Override
    public ISchedule clone() {
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PiecewiseLinearSchedule p
                && p.scheduleType == scheduleType
                && Arrays.equals(p.steps, steps)
                && Arrays.equals(p.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * scheduleType.hashCode() + Arrays.hashCode(steps)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "PiecewiseLinearSchedule{%s, steps=%s, values=%s}",
                scheduleType,
                Arrays.toString(steps),
                Arrays.toString(values));
    }
}

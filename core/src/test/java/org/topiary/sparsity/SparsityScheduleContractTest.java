package org.topiary.sparsity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.topiary.sparsity.json.SparsityJson;

/** The contract every {@link SparsitySchedule} keeps, run over every built-in schedule. */
class SparsityScheduleContractTest {

    static Stream<SparsitySchedule> schedules() {
        return Stream.of(
                SparsitySchedule.constant(0.0),
                SparsitySchedule.constant(0.5),
                SparsitySchedule.oneShot(0.9, 0),
                SparsitySchedule.oneShot(0.9, 4690),
                SparsitySchedule.polynomial(0.0, 0.9, 469, 3283),
                SparsitySchedule.polynomial(0.2, 0.98, 0, 10),
                SparsitySchedule.polynomial(0.0, 0.5, 100, 101, 1.0),
                SparsitySchedule.polynomial(0.1, 0.95, 5, 1005, 2.0));
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void valuesStayInUnitHalfOpenInterval(SparsitySchedule s) {
        for (long t = 0; t <= s.endStep() + 50; t++) {
            assertThat(s.sparsityAt(t)).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
        }
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void isNonDecreasing(SparsitySchedule s) {
        double prev = s.sparsityAt(0);
        for (long t = 1; t <= s.endStep() + 50; t++) {
            assertThat(s.sparsityAt(t)).isGreaterThanOrEqualTo(prev);
            prev = s.sparsityAt(t);
        }
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void exactValuesAtBoundarySteps(SparsitySchedule s) {
        if (s.beginStep() > 0) {
            assertThat(s.sparsityAt(s.beginStep() - 1)).isEqualTo(s.initialSparsity());
        }
        if (s.endStep() > s.beginStep()) {
            assertThat(s.sparsityAt(s.beginStep())).isEqualTo(s.initialSparsity());
            assertThat(s.sparsityAt(s.endStep() - 1)).isLessThanOrEqualTo(s.finalSparsity());
        }
        assertThat(s.sparsityAt(s.endStep())).isEqualTo(s.finalSparsity());
        assertThat(s.sparsityAt(s.endStep() + 1)).isEqualTo(s.finalSparsity());
        assertThat(s.sparsityAt(Long.MAX_VALUE / 2)).isEqualTo(s.finalSparsity());
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void roundTripsThroughJson(SparsitySchedule s) {
        String json = SparsityJson.toJson(s);
        assertThat(json).contains("\"type\" : \"" + s.typeId() + "\"");
        assertThat(SparsityJson.scheduleFromJson(json)).isEqualTo(s);
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void withFinalSparsityKeepsShapeAndMovesTarget(SparsitySchedule s) {
        SparsitySchedule other = s.withFinalSparsity(0.6);
        assertThat(other.finalSparsity()).isEqualTo(0.6);
        assertThat(other.beginStep()).isEqualTo(s.beginStep());
        assertThat(other.endStep()).isEqualTo(s.endStep());
        assertThat(other.sparsityAt(s.endStep())).isEqualTo(0.6);
    }
}

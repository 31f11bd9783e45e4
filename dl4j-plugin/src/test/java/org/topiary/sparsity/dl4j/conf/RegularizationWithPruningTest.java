package org.topiary.sparsity.dl4j.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.internal.Arrays4j;

/**
 * L1 for the first updates, magnitude pruning starting while it is still on: the regularizers and
 * the {@link PruningListener} compose. Pruned weights are never moved by the regularizer (checked
 * after every update, before the listener re-masks), the pruner takes L1's exact zeros first, and
 * the final sparsity is the pruning target.
 */
class RegularizationWithPruningTest {
    private static final String[] WEIGHTS = {"0_W", "1_W", "2_W"};

    static Stream<Arguments> regularizers() {
        Function<ISchedule, Regularization> prox = ProximalL1::of;
        Function<ISchedule, Regularization> sub = ScheduledL1::of;
        return Stream.of(Arguments.of("ProximalL1", prox, 1.0), Arguments.of("ScheduledL1", sub, 0.01));
    }

    /** Runs before the PruningListener in each iteration: params are updated but not yet re-masked. */
    private static final class Checker extends BaseTrainingListener {
        PruningListener pruning;
        final Map<String, boolean[]> zerosBeforeMasking = new HashMap<>();
        int maskedWeightsChecked;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            for (String id : WEIGHTS) {
                float[] w = RegNets.flat(net.getParam(id), 'c').toFloatVector();
                boolean[] zero = new boolean[w.length];
                for (int i = 0; i < w.length; i++) {
                    zero[i] = w[i] == 0f;
                }
                zerosBeforeMasking.put(id, zero);
                INDArray mask = pruning.state().mask(id);
                if (mask != null) {
                    boolean[] kept = Arrays4j.toBooleanC(mask, w.length);
                    for (int i = 0; i < w.length; i++) {
                        if (!kept[i]) {
                            assertThat(w[i]).as("%s[%d] pruned, after update %d", id, i, iteration + 1).isEqualTo(0f);
                            maskedWeightsChecked++;
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regularizers")
    void l1ThenGradualMagnitudePruningReachesTheTargetAndPrunedWeightsStayZero(
            String name, Function<ISchedule, Regularization> factory, double lambda) {
        // L1 on for iterations 0..29 (updates 1..30), pruning from step 10 to 40, every 5 steps.
        ISchedule onThenOff = PiecewiseLinearSchedule.trapezoid(ScheduleType.ITERATION, lambda, 0, 0, 30, 30);
        MultiLayerNetwork net = RegNets.dense(DataType.FLOAT, new Adam(0.01), 51,
                i -> List.of(factory.apply(onThenOff)), RegNets::none);
        Checker checker = new Checker();
        net.setListeners(checker);
        PruningListener pruning = PruningListener.attach(net, PruningConfig.gradual(0.8, 10, 40, 5));
        checker.pruning = pruning;
        DataSet ds = RegNets.data(DataType.FLOAT, 52, 16, RegNets.DENSE_IN);

        long zerosAtFirstEvent = -1;
        int events = 0;
        for (int step = 1; step <= 50; step++) {
            net.fit(ds);
            if (pruning.history().size() > events) {
                events = pruning.history().size();
                for (String id : WEIGHTS) {
                    boolean[] zeros = checker.zerosBeforeMasking.get(id);
                    INDArray mask = pruning.state().mask(id);
                    boolean[] kept = Arrays4j.toBooleanC(mask, zeros.length);
                    int z = 0;
                    int p = 0;
                    int zeroAndPruned = 0;
                    for (int i = 0; i < zeros.length; i++) {
                        z += zeros[i] ? 1 : 0;
                        p += kept[i] ? 0 : 1;
                        zeroAndPruned += zeros[i] && !kept[i] ? 1 : 0;
                    }
                    // Magnitude pruning takes exact zeros first: Z ⊆ P or P ⊆ Z.
                    assertThat(zeroAndPruned).as("%s step %d %s: zeros %d, pruned %d", name, step, id, z, p)
                            .isEqualTo(Math.min(z, p));
                    if (step == 10 && id.equals("0_W")) {
                        zerosAtFirstEvent = z;
                    }
                }
            }
        }
        assertThat(events).as("mask updates at steps 10, 15, ..., 40").isEqualTo(7);
        assertThat(checker.maskedWeightsChecked).isGreaterThan(1000);
        for (TensorSparsity t : pruning.report().tensors()) {
            long target = Math.round(0.8 * t.size());
            long pruned = t.size() - Arrays4j.countNonZero(pruning.state().mask(t.id()));
            assertThat(Math.abs(pruned - target)).as("%s pruned %d of %d", t.id(), pruned, t.size()).isLessThanOrEqualTo(1);
            assertThat(t.zeros()).as("%s exact zeros include the pruned ones", t.id()).isGreaterThanOrEqualTo(pruned);
        }
        if (name.equals("ProximalL1")) {
            assertThat(zerosAtFirstEvent).as("exact zeros made by proximal L1 before pruning began").isGreaterThan(0);
        }
    }
}

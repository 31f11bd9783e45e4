package org.topiary.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.examples.progress.ProgressReporter;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningListener;

class TrainerTest {

    private static final SyntheticData DATA = SyntheticData.of(400, 100);

    @TempDir Path out;

    @Test
    void train_evaluatesEveryEpoch_andSavesTheModel() throws Exception {
        Trainer trainer = Trainer.create(DATA, new TrainOptions(2, 50, 3), ProgressReporter.none());

        RunResult r = trainer.train(RunSpec.of("dense", ModelZoo::lenet300100), out);

        assertThat(r.name()).isEqualTo("dense");
        assertThat(r.seed()).isEqualTo(3);
        assertThat(r.epochCount()).isEqualTo(2);
        assertThat(r.epochs()).extracting(EpochStats::epoch).containsExactly(1, 2);
        assertThat(r.epochs()).allSatisfy(e -> assertThat(e.examples()).isEqualTo(400));
        assertThat(r.testAccuracy()).isGreaterThan(0.9); // trivially separable data
        assertThat(r.trainSeconds()).isPositive();
        assertThat(r.examplesPerSecond()).isCloseTo(800 / r.trainSeconds(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.sparsity()).isZero();
        assertThat(r.trace()).isEmpty();
        assertThat(r.modelFile()).isEqualTo(out.resolve("dense.zip"));
        assertThat(r.modelFileBytes()).isEqualTo(Files.size(r.modelFile())).isPositive();
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(r.modelFile().toFile());
        assertThat(restored.numParams()).isEqualTo(266_610);
    }

    @Test
    void callerListeners_seeEveryStepAndEpoch_beforeTheResultIsBuilt() {
        AtomicInteger epochEnds = new AtomicInteger();
        List<Integer> iterations = new ArrayList<>();
        RunSpec spec =
                RunSpec.of("counted", ModelZoo::lenet300100)
                        .withListeners(
                                ctx -> {
                                    assertThat(ctx.stepsPerEpoch()).isEqualTo(8);
                                    assertThat(ctx.totalSteps()).isEqualTo(16);
                                    return List.of(
                                            new BaseTrainingListener() {
                                                @Override
                                                public void iterationDone(
                                                        Model model, int iteration, int epoch) {
                                                    iterations.add(iteration);
                                                }

                                                @Override
                                                public void onEpochEnd(Model model) {
                                                    epochEnds.incrementAndGet();
                                                }
                                            });
                                });

        Trainer.create(DATA, new TrainOptions(2, 50, 1), ProgressReporter.none()).train(spec, out);

        assertThat(epochEnds).hasValue(2);
        assertThat(iterations).hasSize(16).startsWith(0, 1).endsWith(15);
    }

    @Test
    void traceListener_recordsTargetAndAchievedSparsity_onTheRun() {
        // A stand-in "pruner": zeroes the first column of every weight matrix from step 5 on.
        RunSpec spec =
                RunSpec.of("traced", ModelZoo::lenet300100)
                        .withListeners(
                                ctx ->
                                        List.of(
                                                new BaseTrainingListener() {
                                                    @Override
                                                    public void iterationDone(
                                                            Model model, int iteration, int epoch) {
                                                        if (iteration + 1 >= 5) {
                                                            zeroFirstColumns((MultiLayerNetwork) model);
                                                        }
                                                    }
                                                },
                                                SparsityTraceListener.every(
                                                        4, step -> step >= 5 ? 0.5 : 0.0, ctx)));

        RunResult r =
                Trainer.create(DATA, new TrainOptions(1, 50, 1), ProgressReporter.none())
                        .train(spec, out);

        assertThat(r.trace()).extracting(TracePoint::step).containsExactly(1L, 4L, 8L);
        assertThat(r.trace()).extracting(TracePoint::targetSparsity).containsExactly(0.0, 0.0, 0.5);
        assertThat(r.trace().get(0).achievedSparsity()).isZero();
        assertThat(r.trace().get(2).achievedSparsity()).isEqualTo(r.sparsity()).isPositive();
    }

    @Test
    void pruningListenerOfThePlugin_dropsIntoARunSpec_andItsScheduleIsTraced() {
        // 8 steps per epoch, 2 epochs: prune gradually to 75 % between steps 2 and 10.
        PruningConfig config = PruningConfig.gradual(0.75, 2, 10, 2);
        RunSpec spec =
                RunSpec.of("gmp-75", ModelZoo::lenet300100)
                        .withListeners(
                                ctx -> {
                                    PruningListener pruning = PruningListener.attach(ctx.model(), config);
                                    return List.of(
                                            pruning,
                                            SparsityTraceListener.every(2, config.schedule()::sparsityAt, ctx));
                                });

        RunResult r =
                Trainer.create(DATA, new TrainOptions(2, 50, 1), ProgressReporter.none()).train(spec, out);

        assertThat(r.sparsity()).isCloseTo(0.75, within(1e-3));
        assertThat(r.weights().layers()).allSatisfy(l -> assertThat(l.sparsity()).isCloseTo(0.75, within(1e-3)));
        TracePoint last = r.trace().get(r.trace().size() - 1);
        assertThat(last.step()).isEqualTo(16);
        assertThat(last.targetSparsity()).isEqualTo(0.75);
        assertThat(last.achievedSparsity()).isEqualTo(r.sparsity());
        assertThat(r.trace()).extracting(TracePoint::achievedSparsity).isSorted();
    }

    private static void zeroFirstColumns(MultiLayerNetwork net) {
        for (String key : List.of("0_W", "1_W", "2_W")) {
            INDArray w = net.getParam(key);
            w.getColumn(0).assign(0);
        }
    }
}

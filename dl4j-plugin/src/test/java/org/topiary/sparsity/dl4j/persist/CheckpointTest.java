package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.persist.internal.AtomicFiles;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;

class CheckpointTest {
    @TempDir Path tmp;

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyNIterations_keepsTheLastK() throws IOException {
        Model m = Scenario.newModel(Arch.MLN_DENSE, 1);
        PruningListener p = PruningListener.attach(m, Scenario.config());
        Path dir = tmp.resolve("c");
        List<Path> saved = new ArrayList<>();
        m.addListeners(Checkpointer.builder(dir).optEveryIterations(4).optKeepLast(2).optPruning(p).optOnSaved(saved::add).build());
        Scenario.trainTo(m, 1, 17, 0);
        assertThat(saved).extracting(Checkpoints::stepOf).containsExactly(4L, 8L, 12L, 16L);
        assertThat(names(dir)).containsExactly(Checkpoints.fileName(12), Checkpoints.fileName(16));
        assertThat(PrunedModels.readState(dir.resolve(Checkpoints.fileName(16))).orElseThrow().history())
                .isEqualTo(p.state().history().stream().filter(e -> e.step() <= 16).toList());
    }

    @Test
    void everyEpoch_savesWithTheEpochCountAdvanced() throws IOException {
        MultiLayerNetwork m = (MultiLayerNetwork) Scenario.newModel(Arch.MLN_DENSE, 1);
        PruningListener p = PruningListener.attach(m, Scenario.config());
        Path dir = tmp.resolve("c");
        m.addListeners(Checkpointer.builder(dir).optEveryEpochs(1).optPruning(p).build());
        List<DataSet> batches = new ArrayList<>();
        for (int s = 1; s <= 5; s++) {
            batches.add(Scenario.batch(1, s));
        }
        m.fit(new ListDataSetIterator<>(batches, 1), 2);
        RestoredModel r = PrunedModels.restore(Checkpoints.latest(dir).orElseThrow());
        assertThat(r.iteration()).isEqualTo(10);
        assertThat(r.epoch()).isEqualTo(2);
        assertThat(Checkpoints.list(dir)).extracting(Checkpoints::stepOf).containsExactly(10L, 5L);
    }

    @Test
    void latest_skipsTruncatedAndCorruptCheckpointsAndTempFiles() throws IOException {
        Model m = Scenario.newModel(Arch.MLN_DENSE, 1);
        PruningListener p = PruningListener.attach(m, Scenario.config());
        Path dir = tmp.resolve("c");
        m.addListeners(Checkpointer.builder(dir).optEveryIterations(3).optKeepLast(5).optPruning(p).build());
        Scenario.trainTo(m, 1, 12, 0);
        Path c12 = dir.resolve(Checkpoints.fileName(12));
        Path c9 = dir.resolve(Checkpoints.fileName(9));
        try (RandomAccessFile f = new RandomAccessFile(c12.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        try (RandomAccessFile f = new RandomAccessFile(c9.toFile(), "rw")) {
            f.seek(200);
            int b = f.read();
            f.seek(200);
            f.write(b ^ 0x5a);
        }
        Files.write(dir.resolve("." + Checkpoints.fileName(15) + ".123.tmp"), new byte[] {1, 2, 3});
        assertThat(Checkpoints.latest(dir)).contains(dir.resolve(Checkpoints.fileName(6)));
    }

    @Test
    void failingWrite_leavesThePreviousFileIntactAndNoTempFile() throws IOException {
        Path target = tmp.resolve("model.zip");
        Files.write(target, new byte[] {7, 7, 7});
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full (simulated)");
        })).isInstanceOf(IOException.class).hasMessage("disk full (simulated)");
        assertThat(Files.readAllBytes(target)).containsExactly(7, 7, 7);
        assertThat(names(tmp)).containsExactly("model.zip");
    }

    @Test
    void newCheckpointer_removesTempFilesOfACrashedRun() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("c"));
        Path stale = dir.resolve("." + Checkpoints.fileName(40) + ".998877.tmp");
        Files.write(stale, new byte[10]);
        Files.write(dir.resolve("notes.txt"), new byte[1]);
        Checkpointer.builder(dir).optEveryIterations(1).build();
        assertThat(names(dir)).containsExactly("notes.txt");
    }

    @Test
    void checkpointerBeforeThePruningListener_isAnErrorThatSaysHowToOrderThem() throws IOException {
        Model m = Scenario.newModel(Arch.MLN_DENSE, 1);
        PruningListener p = PruningListener.create(Scenario.config());
        Checkpointer c = Checkpointer.builder(tmp.resolve("c")).optEveryIterations(1).optPruning(p).build();
        m.addListeners(c);
        p.attachTo(m);
        assertThatThrownBy(() -> Scenario.trainTo(m, 1, 1, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the Checkpointer runs before the PruningListener")
                .hasMessageContaining("add the Checkpointer after the PruningListener");
        assertThat(Checkpoints.list(tmp.resolve("c"))).isEmpty();
    }

    @Test
    void divergence_stopsTrainingNamingParamAndStepAndLeavesTheLastCheckpointIntact() throws IOException {
        Model m = Scenario.newModel(Arch.MLN_DENSE, 1);
        m.addListeners(DivergenceGuard.create());
        PruningListener p = PruningListener.attach(m, Scenario.config());
        Path dir = tmp.resolve("c");
        m.addListeners(Checkpointer.builder(dir).optEveryIterations(2).optPruning(p).build());
        Scenario.trainTo(m, 1, 6, 0);
        byte[] before = Files.readAllBytes(dir.resolve(Checkpoints.fileName(6)));

        m.addListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                model.gradient().getGradientFor("1_b").putScalar(2, Float.NaN);
            }
        });
        assertThatThrownBy(() -> Scenario.trainTo(m, 1, 8, 0))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("training diverged at step 7")
                .hasMessageContaining("param '1_b' (layer 1, DenseLayer) has 1 NaN and 0 infinite values")
                .hasMessageContaining("resume from the last checkpoint")
                .satisfies(e -> assertThat(((TrainingDivergedException) e).where()).isEqualTo("1_b"));
        assertThat(Checkpoints.latest(dir)).contains(dir.resolve(Checkpoints.fileName(6)));
        assertThat(Files.readAllBytes(dir.resolve(Checkpoints.fileName(6)))).isEqualTo(before);
    }

    @Test
    void checkpointer_refusesToWriteADivergedModelEvenWithoutAGuard() throws IOException {
        Model m = Scenario.newModel(Arch.MLN_DENSE, 1);
        Path dir = tmp.resolve("c");
        m.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                model.getParam("0_W").putScalar(0, 0, Float.POSITIVE_INFINITY);
            }
        });
        m.addListeners(Checkpointer.builder(dir).optEveryIterations(1).build());
        assertThatThrownBy(() -> Scenario.trainTo(m, 1, 1, 0))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("param '0_W' (layer 0, DenseLayer) has 0 NaN and 1 infinite values");
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void nanScore_isReportedAsTheScore() {
        Model m = Scenario.newModel(Arch.MLN_DENSE, 1);
        m.addListeners(DivergenceGuard.create());
        DataSet bad = Scenario.batch(1, 1);
        bad.getFeatures().putScalar(0, 0, Float.NaN);
        assertThatThrownBy(() -> ((MultiLayerNetwork) m).fit(bad))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("training diverged at step 1: the score is NaN");
    }
}

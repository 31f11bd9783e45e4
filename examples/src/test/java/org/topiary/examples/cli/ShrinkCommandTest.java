package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.topiary.examples.train.ModelZoo;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.persist.PrunedModels;

class ShrinkCommandTest {
    @TempDir Path dir;

    /** LeNet-300-100 whose pruning state masks all incoming weights of fc1 neurons 0..99. */
    private Path prunedCheckpoint(MultiLayerNetwork net) throws Exception {
        INDArray mask = Nd4j.ones(DataType.BOOL, 784, 300);
        mask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 100)).assign(false);
        Map<String, INDArray> masks = new HashMap<>();
        masks.put("0_W", mask);
        Path f = dir.resolve("in.zip");
        PrunedModels.save(net, PruningState.restore(PruningConfig.oneShot(0.3, 0), masks, List.of()), f);
        return f;
    }

    @Test
    void shrink_writesAPlainSmallerModel_withTheSameOutputs_andJson() throws Exception {
        MultiLayerNetwork net = ModelZoo.lenet300100(1);
        Path in = prunedCheckpoint(net);
        Path out = dir.resolve("out.zip");
        Path json = dir.resolve("shrink.json");

        CliRun run = CliRun.of("shrink", in.toString(), out.toString(), "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("300", "200", "params: 266610 -> 178110", "file bytes");
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false);
        assertThat(loaded.getLayer(0).getParam("W").shape()).containsExactly(784, 200);
        assertThat(PrunedModels.readState(out)).isEmpty();
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 784);
        MultiLayerNetwork masked = net.clone();
        masked.getParam("0_W").get(NDArrayIndex.all(), NDArrayIndex.interval(0, 100)).assign(0);
        assertThat(masked.output(x).sub(loaded.output(x)).amaxNumber().doubleValue()).isLessThanOrEqualTo(1e-5);
        JsonNode j = new ObjectMapper().readTree(Files.readString(json));
        assertThat(j.get("schema").asText()).isEqualTo("topiary-shrink");
        assertThat(j.get("params_after").asLong()).isEqualTo(loaded.numParams());
        assertThat(j.get("layers").get(0).get("units_after").asLong()).isEqualTo(200);
        assertThat(j.get("output_bytes").asLong()).isEqualTo(Files.size(out));
    }

    @Test
    void shrink_refusesToOverwrite_unlessForced() throws Exception {
        Path in = prunedCheckpoint(ModelZoo.lenet300100(2));
        Path out = dir.resolve("exists.zip");
        Files.writeString(out, "keep me");

        CliRun refused = CliRun.of("shrink", in.toString(), out.toString());
        assertThat(refused.exitCode()).isEqualTo(TopiaryCli.EXIT_FAILURE);
        assertThat(refused.err()).contains("exists; pass --force");
        assertThat(Files.readString(out)).isEqualTo("keep me");

        CliRun forced = CliRun.of("shrink", in.toString(), out.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false).numParams()).isEqualTo(178110);
    }
}

package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.topiary.examples.train.ModelZoo;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import org.topiary.sparsity.dl4j.persist.SparseModelFormat;
import picocli.CommandLine;

class FileCommandsTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    private static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A LeNet-300-100 pruned one-shot to 90% and saved as a checkpoint. */
    private Path checkpoint() throws IOException {
        MultiLayerNetwork net = ModelZoo.lenet300100(1);
        PruningListener p = PruningListener.attach(net, PruningConfig.oneShot(0.9, 1));
        Random r = new Random(1);
        float[] x = new float[16 * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        net.fit(new DataSet(Nd4j.create(x, new long[] {16, 784}, 'c'), Nd4j.eye(16).getColumns(0, 1, 2, 3, 4, 5, 6, 7, 8, 9).castTo(DataType.FLOAT)));
        Path f = tmp.resolve("ckpt.zip");
        PrunedModels.save(net, p.state(), f);
        return f;
    }

    @Test
    void exportSparse_printsDenseZipSparseBytesAndRatiosAndWritesJson() throws IOException {
        Path in = checkpoint();
        Path out = tmp.resolve("m.tsm");
        Path json = tmp.resolve("export.json");
        Run r = run(new ExportCommand(), in.toString(), "--format", "sparse", "--out", out.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(Files.readString(json));
        assertThat(j.get("output_bytes").asLong()).isEqualTo(Files.size(out));
        assertThat(j.get("ratio_to_raw_dense").asDouble()).isLessThan(0.15);
        assertThat(r.out()).contains("dense zip bytes", "sparse bytes", "ratio", String.valueOf(Files.size(out)),
                String.valueOf(j.get("dense_zip_bytes").asLong()), "(89.88% zeros)");
        assertThat(SparseModelFormat.read(out).params()).isEqualTo(PrunedModels.restore(in).model().params());
    }

    @Test
    void exportSparse_carriesTheTwoOfFourPatternOfTheModel() throws IOException {
        MultiLayerNetwork net = ModelZoo.lenet300100(2);
        PruningConfig nm = PruningConfig.oneShot(0.5, 1).toBuilder()
                .optPattern(org.topiary.sparsity.structure.SparsityPattern.nOfM(2, 4)).build();
        PruningListener p = PruningListener.attach(net, nm);
        net.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 16, 784), Nd4j.eye(16).getColumns(0, 1, 2, 3, 4, 5, 6, 7, 8, 9).castTo(DataType.FLOAT)));
        Path in = tmp.resolve("nm.zip");
        PrunedModels.save(net, p.state(), in);
        Path out = tmp.resolve("nm.tsm");
        Run r = run(new ExportCommand(), in.toString(), "--format", "sparse", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(SparseModelFormat.readPatterns(out))
                .extracting(t -> t.id() + " " + t.pattern() + " " + t.exact())
                .containsExactly("0_W 2:4 true", "1_W 2:4 true", "2_W 2:4 true");
    }

    @Test
    void exportDl4j_writesAPlainZip() throws IOException {
        Path in = checkpoint();
        Path out = tmp.resolve("plain.zip");
        Run r = run(new ExportCommand(), in.toString(), "--format", "dl4j", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(PrunedModels.readState(out)).isEmpty();
        assertThat(ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false).numParams()).isEqualTo(266_610);
    }

    @Test
    void inspect_printsTheTableAndPruningStateAndWritesJson() throws IOException {
        Path in = checkpoint();
        Path json = tmp.resolve("inspect.json");
        Run r = run(new InspectCommand(), in.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("0_W", "[784, 300]", "0.9000", "pruning state: PruningConfig{");
        assertThat(new ObjectMapper().readTree(Files.readString(json)).get("type").asText()).isEqualTo("topiary-inspection");
    }

    @Test
    void strip_writesAPlainModel() throws IOException {
        Path in = checkpoint();
        Path out = tmp.resolve("final.zip");
        Run r = run(new StripCommand(), in.toString(), out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("strip: " + in);
        assertThat(PrunedModels.readState(out)).isEmpty();
    }

    @Test
    void badInput_failsWithExitCode1AndAMessageNamingTheFile() throws IOException {
        Path missing = tmp.resolve("missing.zip");
        for (List<String> args : List.of(
                List.of("inspect", missing.toString()),
                List.of("strip", missing.toString(), tmp.resolve("o.zip").toString()),
                List.of("export", missing.toString(), "--format", "sparse", "--out", tmp.resolve("o.tsm").toString()))) {
            Callable<Integer> c = switch (args.get(0)) {
                case "inspect" -> new InspectCommand();
                case "strip" -> new StripCommand();
                default -> new ExportCommand();
            };
            Run r = run(c, args.subList(1, args.size()).toArray(new String[0]));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains(": error: ", "missing.zip", "not found");
        }
        Path in = checkpoint();
        Run r = run(new ExportCommand(), in.toString(), "--format", "sparse", "--out", tmp.resolve("no/dir/o.tsm").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("does not exist; create it first");
        Run bad = run(new ExportCommand(), in.toString(), "--format", "onnx", "--out", "x");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--format", "sparse, dl4j");
    }
}

package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.SelectionException;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;
import org.topiary.sparsity.json.ConfigFormatException;

/**
 * Bad input everywhere: each case names the exception type and the message parts (field or file,
 * and what to do). After every case the file {@code existing.out} (the output target of the write
 * cases) is byte for byte intact and no temporary file remains.
 */
class BadInputTest {
    private static Path dir;
    private static Path mln;
    private static Path cg;
    private static Path sparse;
    private static byte[] sparseBytes;
    private static Path existing;
    private static final byte[] EXISTING = "precious".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void fixtures() throws IOException {
        dir = Files.createTempDirectory("topiary-bad-input");
        Model m = Scenario.newModel(Arch.MLN_DENSE, 3);
        PruningListener p = PruningListener.attach(m, Scenario.config());
        Scenario.trainTo(m, 3, 12, 0);
        mln = dir.resolve("mln.zip");
        PrunedModels.save(m, p.state(), mln);
        Model g = Scenario.newModel(Arch.CG_MERGE, 3);
        PruningListener q = PruningListener.attach(g, Scenario.config());
        Scenario.trainTo(g, 3, 12, 0);
        cg = dir.resolve("cg.zip");
        PrunedModels.save(g, q.state(), cg);
        sparse = dir.resolve("m.tsm");
        SparseModelFormat.write(m, sparse);
        sparseBytes = Files.readAllBytes(sparse);
        existing = dir.resolve("existing.out");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ------------------------------------------------------------ helpers

    private static Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    /** A copy of {@code src} with its entries edited. */
    private static Path edited(Path src, String name, Consumer<Map<String, byte[]>> edit) throws IOException {
        Map<String, byte[]> e = entries(src);
        edit.accept(e);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> x : e.entrySet()) {
                z.putNextEntry(new ZipEntry(x.getKey()));
                z.write(x.getValue());
                z.closeEntry();
            }
        }
        return file(name, bytes.toByteArray());
    }

    private static Path editedJson(String name, String from, String to) throws IOException {
        return edited(mln, name, e -> {
            String json = new String(e.get("topiary/pruning.json"), StandardCharsets.UTF_8);
            if (!json.contains(from)) {
                throw new IllegalStateException("fixture has no '" + from + "'");
            }
            e.put("topiary/pruning.json", json.replace(from, to).getBytes(StandardCharsets.UTF_8));
        });
    }

    private static byte[] sparseWithHeader(int offset, byte[] patch) {
        byte[] b = sparseBytes.clone();
        System.arraycopy(patch, 0, b, offset, patch.length);
        return b;
    }

    private static Model dense(long seed) {
        return TestNets.build(Arch.MLN_DENSE, new Adam(0.01), false, seed).model();
    }

    private static PruningConfig.Builder gmp(double s) {
        return PruningConfig.builder().setSchedule(SparsitySchedule.polynomial(0, s, 1, 6)).optWindow(new UpdateWindow(1, 6, 1));
    }

    private static Arguments bad(String name, ThrowingCallable call, Class<? extends Throwable> type, String... parts) {
        return Arguments.of(name, call, type, parts);
    }

    // ------------------------------------------------------------ cases

    static Stream<Arguments> cases() {
        return Stream.of(
                // configuration values
                bad("sparsity NaN", () -> SparsitySchedule.polynomial(0, Double.NaN, 0, 10),
                        IllegalArgumentException.class, "finalSparsity must be in [0, 1), found NaN"),
                bad("sparsity negative", () -> SparsitySchedule.polynomial(-0.1, 0.5, 0, 10),
                        IllegalArgumentException.class, "initialSparsity must be in [0, 1), found -0.1"),
                bad("sparsity 1", () -> PruningConfig.oneShot(1.0, 5),
                        IllegalArgumentException.class, "must be in [0, 1), found 1"),
                bad("end before begin", () -> SparsitySchedule.polynomial(0, 0.5, 10, 10),
                        IllegalArgumentException.class, "endStep (10) must be > beginStep (10)"),
                bad("frequency zero", () -> new UpdateWindow(0, 10, 0),
                        IllegalArgumentException.class, "frequency must be > 0, found 0"),
                bad("override sparsity NaN", () -> gmp(0.5).optOverride("0", Double.NaN).build(),
                        IllegalArgumentException.class, "override for '0' must be in [0, 1), found NaN"),
                bad("config JSON with sparsity >= 1", () -> org.topiary.sparsity.json.SparsityJson.configFromJson(
                                org.topiary.sparsity.json.SparsityJson.toJson(gmp(0.5).build()).replace("\"finalSparsity\" : 0.5", "\"finalSparsity\" : 1.0")),
                        ConfigFormatException.class, "$.schedule: finalSparsity must be in [0, 1), found 1"),
                // selection against the model
                bad("unknown layer name", () -> PruningListener.attach(dense(1), gmp(0.5).optLayers("dense9").build()),
                        SelectionException.class, "layer 'dense9' (in layers) matches no layer", "available layers"),
                bad("unknown param key", () -> PruningListener.attach(dense(1), gmp(0.5).optParamKeys("Q").build()),
                        SelectionException.class, "param key 'Q' (in paramKeys)", "prunable keys: [W]"),
                bad("override of a bias", () -> PruningListener.attach(dense(1), gmp(0.5).optOverride("1_b", 0.3).build()),
                        SelectionException.class, "'1_b' is not a prunable param"),
                // restoring model files
                bad("missing file", () -> PrunedModels.restore(dir.resolve("nope.zip")),
                        NoSuchFileException.class, "nope.zip", "model file not found; check the path"),
                bad("directory instead of file", () -> PrunedModels.restore(dir),
                        NoSuchFileException.class, "is not a regular file"),
                bad("empty file", () -> PrunedModels.restore(file("empty.zip", new byte[0])),
                        CorruptModelFileException.class, "empty.zip", "is not a complete zip file", "earlier checkpoint"),
                bad("text file", () -> PrunedModels.restore(file("text.zip", "hello".getBytes(StandardCharsets.UTF_8))),
                        CorruptModelFileException.class, "text.zip", "is not a complete zip file"),
                bad("truncated zip", () -> PrunedModels.restore(file("half.zip", Arrays.copyOf(Files.readAllBytes(mln), (int) Files.size(mln) / 2))),
                        CorruptModelFileException.class, "half.zip", "truncated"),
                bad("flipped byte in zip", () -> {
                            byte[] b = Files.readAllBytes(mln);
                            b[300] ^= 0x55;
                            PrunedModels.restore(file("flipped.zip", b));
                        },
                        CorruptModelFileException.class, "flipped.zip", "fails its CRC check (the file is damaged)"),
                bad("zip without configuration", () -> PrunedModels.restore(edited(mln, "noconf.zip", e -> e.remove("configuration.json"))),
                        CorruptModelFileException.class, "noconf.zip", "has no configuration.json entry", "not a DL4J model zip"),
                bad("pruning.json from a newer Topiary", () -> PrunedModels.restore(editedJson("v2.zip", "\"version\" : 1,\n  \"model\"", "\"version\" : 2,\n  \"model\"")),
                        UnsupportedFormatVersionException.class, "v2.zip", "entry topiary/pruning.json version 2 is not supported", "Upgrade Topiary"),
                bad("masks.bin from a newer Topiary", () -> PrunedModels.restore(edited(mln, "masks-v9.zip", e -> e.get("topiary/masks.bin")[5] = 9)),
                        UnsupportedFormatVersionException.class, "entry topiary/masks.bin version 9"),
                bad("invalid sparsity inside the saved config", () -> PrunedModels.restore(editedJson("badcfg.zip", "\"finalSparsity\" : 0.7", "\"finalSparsity\" : 1.5")),
                        CorruptModelFileException.class, "badcfg.zip", "$.config.schedule: finalSparsity must be in [0, 1), found 1.5"),
                bad("pruning.json without masks.bin", () -> PrunedModels.restore(edited(mln, "nomasks.zip", e -> e.remove("topiary/masks.bin"))),
                        CorruptModelFileException.class, "has topiary/pruning.json but no topiary/masks.bin", "PrunedModels.strip"),
                bad("truncated masks.bin", () -> PrunedModels.restore(edited(mln, "shortmasks.zip",
                                e -> e.put("topiary/masks.bin", Arrays.copyOf(e.get("topiary/masks.bin"), 30)))),
                        CorruptModelFileException.class, "entry topiary/masks.bin ends early (truncated)"),
                bad("masks.bin that disagrees with pruning.json", () -> PrunedModels.restore(editedJson("kept.zip", "\"kept\" : ", "\"kept\" : 1")),
                        CorruptModelFileException.class, "kept.zip", "keeps"),
                bad("mask for a param the model lacks", () -> PrunedModels.restore(edited(mln, "alien.zip", e -> {
                            e.put("topiary/pruning.json", new String(e.get("topiary/pruning.json"), StandardCharsets.UTF_8)
                                    .replace("\"0_W\"", "\"7_W\"").getBytes(StandardCharsets.UTF_8));
                            byte[] m = e.get("topiary/masks.bin");
                            String s = new String(m, StandardCharsets.ISO_8859_1).replace("0_W", "7_W");
                            e.put("topiary/masks.bin", s.getBytes(StandardCharsets.ISO_8859_1));
                        })),
                        ArchitectureMismatchException.class, "alien.zip", "mask for '7_W' but the model has no such param", "saved from another architecture"),
                bad("state of another architecture (graph onto network)", () -> PrunedModels.readStateFor(cg, dense(1)),
                        ArchitectureMismatchException.class, "cg.zip", "state of a ComputationGraph but the model is a MultiLayerNetwork"),
                bad("masks whose shapes differ from the model", () -> PrunedModels.readStateFor(mln, wider()),
                        ArchitectureMismatchException.class, "mln.zip", "the mask of '0_W' has shape [10, 16] but the model's param has shape [10, 32]"),
                bad("resuming a file without pruning state", () -> {
                            Path plain = dir.resolve("plain.zip");
                            PrunedModels.save(dense(2), plain);
                            PrunedModels.restore(plain).resumePruning();
                        },
                        IllegalStateException.class, "plain.zip has no pruning state", "PruningListener.attach"),
                // output locations: nothing is written, an existing file is untouched
                bad("output folder missing", () -> PrunedModels.save(dense(1), dir.resolve("no/such/dir/m.zip")),
                        NoSuchFileException.class, "does not exist; create it first"),
                bad("output folder is a file", () -> PrunedModels.save(dense(1), existing.resolve("m.zip")),
                        FileSystemException.class, "existing.out", "is not a folder"),
                bad("output is a folder", () -> PrunedModels.strip(mln, dir),
                        FileSystemException.class, "is a folder; give the path of a file"),
                bad("strip of a corrupt file onto an existing output", () -> PrunedModels.strip(file("junk.zip", new byte[] {1, 2}), existing),
                        CorruptModelFileException.class, "junk.zip"),
                bad("export of a missing file onto an existing output", () -> SparseModelFormat.export(dir.resolve("gone.zip"), existing),
                        NoSuchFileException.class, "gone.zip"),
                bad("export of a HALF model", () -> SparseModelFormat.write(((MultiLayerNetwork) dense(1)).convertDataType(DataType.FLOAT16), existing),
                        IllegalArgumentException.class, "param '0_W' is HALF", "net.convertDataType(DataType.FLOAT)"),
                bad("checkpoint folder is a file", () -> Checkpointer.builder(existing).optEveryIterations(1).build(),
                        FileSystemException.class, "existing.out", "is not a folder"),
                bad("checkpointer without frequency", () -> Checkpointer.builder(dir.resolve("ck")).build(),
                        IllegalArgumentException.class, "set optEveryIterations(n) and/or optEveryEpochs(n)"),
                bad("checkpointer keeping 0", () -> Checkpointer.builder(dir).optKeepLast(0),
                        IllegalArgumentException.class, "keepLast must be > 0, found 0"),
                // sparse files
                bad("sparse: missing file", () -> SparseModelFormat.read(dir.resolve("gone.tsm")),
                        NoSuchFileException.class, "gone.tsm", "not found"),
                bad("sparse: bad magic (a DL4J zip)", () -> SparseModelFormat.read(mln),
                        CorruptModelFileException.class, "mln.zip", "not a Topiary sparse model file (bad magic bytes)", "PrunedModels.restore"),
                bad("sparse: truncated", () -> SparseModelFormat.read(file("short.tsm", Arrays.copyOf(sparseBytes, sparseBytes.length - 100))),
                        CorruptModelFileException.class, "short.tsm", "is truncated", "export the file again"),
                bad("sparse: header only", () -> SparseModelFormat.read(file("hdr.tsm", Arrays.copyOf(sparseBytes, 12))),
                        CorruptModelFileException.class, "hdr.tsm", "is truncated"),
                bad("sparse: unknown version", () -> SparseModelFormat.read(file("v7.tsm", sparseWithHeader(8, new byte[] {0, 7}))),
                        UnsupportedFormatVersionException.class, "Topiary sparse format version 7 is not supported: this Topiary reads versions 1 to 2"),
                bad("sparse: unknown flags", () -> SparseModelFormat.read(file("flags.tsm", sparseWithHeader(10, new byte[] {0, 3}))),
                        CorruptModelFileException.class, "unknown flags 0x3"),
                bad("sparse: damaged payload", () -> {
                            byte[] b = sparseBytes.clone();
                            b[b.length / 2] ^= 0x10;
                            SparseModelFormat.read(file("crc.tsm", b));
                        },
                        CorruptModelFileException.class, "crc.tsm", "fails its CRC-32 check"),
                bad("sparse: trailing bytes", () -> {
                            byte[] b = Arrays.copyOf(sparseBytes, sparseBytes.length + 3);
                            SparseModelFormat.read(file("tail.tsm", b));
                        },
                        CorruptModelFileException.class, "3 unexpected bytes after the payload"),
                bad("sparse: length field larger than the file", () -> SparseModelFormat.read(file("len.tsm",
                                sparseWithHeader(12, ByteBuffer.allocate(8).putLong(1L << 40).array()))),
                        CorruptModelFileException.class, "is truncated"),
                // resumable runs
                bad("fresh run into a folder with checkpoints", () -> {
                            Path d = dir.resolve("used");
                            Files.createDirectories(d);
                            Files.copy(mln, d.resolve(Checkpoints.fileName(12)));
                            ResumableRun.builder(d).start(() -> dense(1), Scenario.config());
                        },
                        FileAlreadyExistsException.class, "used", "already holds 1 checkpoint(s)", "choose an empty checkpoint folder"),
                bad("resume with another configuration", () -> {
                            Path d = dir.resolve("other");
                            Files.createDirectories(d);
                            Files.copy(mln, d.resolve(Checkpoints.fileName(12)));
                            ResumableRun.builder(d).optResume(true).start(() -> dense(1), gmp(0.5).build());
                        },
                        IllegalArgumentException.class, "differs from the one checkpoint", "resume with the same configuration"),
                bad("resume where every checkpoint is damaged", () -> {
                            Path d = dir.resolve("broken");
                            Files.createDirectories(d);
                            Files.write(d.resolve(Checkpoints.fileName(12)), new byte[] {'P', 'K', 3, 4});
                            ResumableRun.builder(d).optResume(true).start(() -> dense(1), Scenario.config());
                        },
                        CorruptModelFileException.class, "broken", "none of its 1 checkpoint(s) is intact"),
                bad("positionInEpoch with another epoch length", () -> {
                            Path d = dir.resolve("epochs");
                            Files.createDirectories(d);
                            Files.copy(mln, d.resolve(Checkpoints.fileName(12)));
                            ResumableRun.builder(d).optResume(true).start(() -> dense(1), null).positionInEpoch(5);
                        },
                        IllegalStateException.class, "does not fit 5 batches per epoch"));
    }

    /** MLN_DENSE with a wider first layer: same param ids, other shapes. */
    private static Model wider() {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(10).nOut(32).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(32).nOut(12).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(12).nOut(3).build())
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithASpecificTypeAndAMessageThatNamesTheProblem(
            String name, ThrowingCallable call, Class<? extends Throwable> type, String[] parts)
            throws IOException {
        Files.write(existing, EXISTING);
        List<String> before;
        try (Stream<Path> s = Files.list(dir)) {
            before = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
        Throwable t = catchThrowable(call);
        assertThat(t).as(name).isInstanceOf(type);
        for (String part : parts) {
            assertThat(t.getMessage()).as(name).contains(part);
        }
        assertThat(Files.readAllBytes(existing)).as("existing output untouched").isEqualTo(EXISTING);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList()).isEqualTo(before);
        }
    }
}

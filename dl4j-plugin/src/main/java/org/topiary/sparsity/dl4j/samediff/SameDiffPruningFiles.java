package org.topiary.sparsity.dl4j.samediff;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.persist.CorruptModelFileException;
import org.topiary.sparsity.dl4j.persist.internal.AtomicFiles;
import org.topiary.sparsity.dl4j.persist.internal.MaskCodec;
import org.topiary.sparsity.dl4j.persist.internal.StateJson;
import org.topiary.sparsity.internal.Checks;

/**
 * Saving a pruned SameDiff graph with its pruning state, and carrying on from it.
 *
 * <p><b>Two files.</b> SameDiff's own file (FlatBuffers, written by {@code sd.save(file, true)}:
 * graph, arrays, training configuration with the iteration and epoch counts, updater state) has no
 * place for extra entries, so the pruning state goes <i>next to it</i>, in {@code <file>.pruning.zip}
 * ({@link #stateFileOf}), a zip with the two entries {@link
 * org.topiary.sparsity.dl4j.persist.PrunedModels} adds to a DL4J model zip:
 *
 * <ul>
 *   <li>{@code topiary/pruning.json}: {@code {"type": "topiary-pruning-state", "version": 1,
 *       "model": "SameDiff", "iteration", "epoch", "config": <SparsityJson>, "masks": [{"id",
 *       "shape", "kept"}], "history": [{"step", "target", "achieved"}]}}; ids are variable names;
 *   <li>{@code topiary/masks.bin}: the BOOL masks, one bit per weight (magic {@code TPMK},
 *       version 1);
 * </ul>
 *
 * and {@code topiary/samediff.sha256}, the SHA-256 of the SameDiff file (below).
 *
 * <pre>{@code
 * SameDiffPruningFiles.save(sd, pruning, Path.of("model.sd"));
 * // later, or in another JVM:
 * SameDiff sd = SameDiff.load(new File("model.sd"), true);
 * SameDiffPruning pruning = SameDiffPruningFiles.resume(sd, Path.of("model.sd"));
 * sd.fit(trainIter, 5);                                // the schedule carries on
 * }</pre>
 *
 * <p>Each file is written atomically (temporary file in the same folder, then an atomic rename).
 * The pair is not, so the state zip also holds {@code topiary/samediff.sha256}, the SHA-256 of the
 * SameDiff file saved with it: {@link #resume} refuses a graph file that is not that one (a save
 * interrupted between the two renames, or one file of the pair replaced or copied alone), even
 * at the same iteration count (a rerun saving to the same path). It also checks that the state
 * was saved at the loaded graph's iteration count. State files written before the digest existed
 * are checked by the iteration count only.
 */
public final class SameDiffPruningFiles {
    /** The value of {@code "model"} in {@code topiary/pruning.json}. */
    public static final String MODEL_KIND = "SameDiff";

    private static final String SUFFIX = ".pruning.zip";

    /** Zip entry holding the lower-case hex SHA-256 of the SameDiff file saved with the state. */
    static final String GRAPH_DIGEST_ENTRY = "topiary/samediff.sha256";

    private SameDiffPruningFiles() {}

    /** Where the pruning state of the SameDiff file {@code file} lives: {@code <file>.pruning.zip}. */
    public static Path stateFileOf(Path file) {
        Checks.notNull("file", file);
        return file.resolveSibling(file.getFileName() + SUFFIX);
    }

    /**
     * Saves {@code sd} with its updater state to {@code file} and {@code pruning.state()} to
     * {@link #stateFileOf}{@code (file)}, each replaced atomically.
     *
     * @throws IllegalArgumentException when {@code pruning} prunes another graph
     */
    public static void save(SameDiff sd, SameDiffPruning pruning, Path file) throws IOException {
        Checks.notNull("sd", sd);
        Checks.notNull("pruning", pruning);
        Checks.isTrue(pruning.sameDiff() == sd, "pruning is attached to another SameDiff graph; save the graph it prunes");
        Path stateFile = stateFileOf(file);
        AtomicFiles.checkWritableTarget(file);
        long iteration = sd.getTrainingConfig() == null ? 0 : sd.getTrainingConfig().getIterationCount();
        long epoch = sd.getTrainingConfig() == null ? 0 : sd.getTrainingConfig().getEpochCount();
        PruningState state = pruning.state();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(StateJson.ENTRY, StateJson.encode(state, MODEL_KIND, iteration, epoch));
        entries.put(MaskCodec.ENTRY, MaskCodec.encode(state.masks()));
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".sd.tmp");
        try {
            sd.save(tmp.toFile(), true);
            entries.put(GRAPH_DIGEST_ENTRY, sha256(tmp).getBytes(StandardCharsets.US_ASCII));
            AtomicFiles.write(stateFile, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
                zip.finish();
            });
            AtomicFiles.write(file, out -> Files.copy(tmp, out));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Lower-case hex SHA-256 of a file's bytes. */
    private static String sha256(Path file) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /**
     * The pruning state saved next to {@code file}, with the iteration count it was saved at.
     *
     * @throws NoSuchFileException when there is no {@code <file>.pruning.zip}
     * @throws CorruptModelFileException when it is damaged or was not written for a SameDiff graph
     */
    public static Saved read(Path file) throws IOException {
        return read(file, entries(file));
    }

    private static Map<String, byte[]> entries(Path file) throws IOException {
        Path stateFile = stateFileOf(file);
        if (!Files.isRegularFile(stateFile)) {
            throw new NoSuchFileException(stateFile.toString(), null,
                    "no pruning state next to " + file.getFileName() + "; save it with SameDiffPruningFiles.save(sd, pruning, file)");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        byte[] data = Files.readAllBytes(stateFile);
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                entries.put(e.getName(), zip.readAllBytes()); // ZipInputStream checks each entry's CRC
            }
        } catch (IOException e) { // ZipException, or EOFException for a truncated entry
            throw new CorruptModelFileException(stateFile, "is not an intact zip (" + e + "); use an intact copy", e);
        }
        return entries;
    }

    private static Saved read(Path file, Map<String, byte[]> entries) throws IOException {
        Path stateFile = stateFileOf(file);
        byte[] json = entries.get(StateJson.ENTRY);
        byte[] bits = entries.get(MaskCodec.ENTRY);
        if (json == null || bits == null) {
            throw new CorruptModelFileException(stateFile, "has no " + (json == null ? StateJson.ENTRY : MaskCodec.ENTRY)
                    + " entry; it is truncated or was not written by SameDiffPruningFiles.save");
        }
        StateJson.Header header = StateJson.decode(stateFile, json);
        if (!MODEL_KIND.equals(header.model())) {
            throw new CorruptModelFileException(stateFile, StateJson.ENTRY + " was written for a " + header.model()
                    + ", not a SameDiff graph; restore it with PrunedModels.restore");
        }
        Map<String, INDArray> masks = MaskCodec.decode(stateFile, bits);
        return new Saved(StateJson.toState(stateFile, header, masks), header.iteration());
    }

    /**
     * Reads the state saved next to {@code file} and resumes pruning {@code sd} (loaded from
     * {@code file} with {@code SameDiff.load(file, true)}) with it.
     *
     * @throws IllegalArgumentException when {@code file} is not the SameDiff file saved with the
     *     state, the graph's iteration count differs from the one the state was saved at, or the
     *     masks do not fit the graph
     */
    public static SameDiffPruning resume(SameDiff sd, Path file) throws IOException {
        Checks.notNull("sd", sd);
        Map<String, byte[]> entries = entries(file);
        Saved saved = read(file, entries);
        byte[] digest = entries.get(GRAPH_DIGEST_ENTRY);
        if (digest != null) {
            String expected = new String(digest, StandardCharsets.US_ASCII);
            Checks.isTrue(Files.isRegularFile(file) && expected.equals(sha256(file)),
                    "the pruning state in %s was saved with another version of %s (a save interrupted between the two"
                            + " files, or one of them replaced or copied alone); load the graph and its state from one"
                            + " SameDiffPruningFiles.save",
                    stateFileOf(file), file);
        }
        long iteration = sd.getTrainingConfig() == null ? 0 : sd.getTrainingConfig().getIterationCount();
        Checks.isTrue(iteration == saved.iteration(),
                "the pruning state in %s was saved at iteration %d but the SameDiff graph is at iteration %d;"
                        + " load the graph saved with it (SameDiff.load(file, true)) and keep its TrainingConfig",
                stateFileOf(file), saved.iteration(), iteration);
        return SameDiffPruning.resume(sd, saved.state());
    }

    /**
     * A pruning state read from disk.
     *
     * @param state masks, history and configuration
     * @param iteration SameDiff's iteration count (completed updates) when it was saved
     */
    public record Saved(PruningState state, long iteration) {}
}

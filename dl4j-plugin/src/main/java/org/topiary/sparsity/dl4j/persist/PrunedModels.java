package org.topiary.sparsity.dl4j.persist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.persist.internal.AtomicFiles;
import org.topiary.sparsity.dl4j.persist.internal.ConfigCleaner;
import org.topiary.sparsity.dl4j.persist.internal.Dl4jModels;
import org.topiary.sparsity.dl4j.persist.internal.MaskCodec;
import org.topiary.sparsity.dl4j.persist.internal.ModelZip;
import org.topiary.sparsity.dl4j.persist.internal.StateJson;
import org.topiary.sparsity.internal.Checks;

/**
 * Saving and restoring pruned DL4J models with their pruning state, and finalizing them.
 *
 * <p><b>File layout.</b> A saved model is an ordinary DL4J model zip as {@code
 * ModelSerializer.writeModel(model, file, true)} writes it ({@code configuration.json} with the
 * iteration and epoch counts, {@code coefficients.bin}, {@code updaterState.bin}), plus two
 * Topiary entries when a {@link PruningState} is given:
 *
 * <ul>
 *   <li>{@code topiary/pruning.json}: {@code {"type": "topiary-pruning-state", "version": 1, "model",
 *       "iteration", "epoch", "config": <SparsityJson v1>, "masks": [{"id", "shape", "kept"}],
 *       "history": [{"step", "target", "achieved"}]}}; no Java class names;
 *   <li>{@code topiary/masks.bin}: the BOOL masks bit-packed, one bit per weight (magic {@code
 *       TPMK}, version 1; see {@code docs/sparse-format.md}).
 * </ul>
 *
 * <p>Vanilla DL4J ignores the Topiary entries, so {@code ModelSerializer.restoreMultiLayerNetwork}
 * still reads such a file. {@link #strip(Path, Path)} removes them for good.
 *
 * <p><b>Guarantees.</b> Every write goes to a temporary file in the target folder and is renamed
 * over the target atomically: a failure or a kill leaves the old file intact. Every read checks
 * the zip structure and the CRC of every entry, and checks the masks against the model, before
 * anything is returned. The zip is assembled in memory before it is written (as much memory as
 * the file's size).
 */
public final class PrunedModels {
    private PrunedModels() {}

    /** Saves {@code model} with its updater state, without pruning state. */
    public static void save(Model model, Path file) throws IOException {
        save(model, null, file);
    }

    /**
     * Saves {@code model} (params, updater state, iteration and epoch counts) and {@code state}
     * (may be null) to {@code file}, replacing it atomically.
     *
     * @throws IllegalArgumentException when a mask of {@code state} does not fit the model
     * @throws java.nio.file.FileSystemException when the output folder is missing or not writable
     */
    public static void save(Model model, PruningState state, Path file) throws IOException {
        write(model, state, file, -1, -1);
    }

    /**
     * Saves with the iteration and epoch counts in the configuration replaced (when {@code >= 0}) by
     * the given ones; used by listeners that save inside {@code iterationDone}, where DL4J has not
     * incremented its count yet.
     */
    static void write(Model model, PruningState state, Path file, long iteration, long epoch) throws IOException {
        String kind = Dl4jModels.kind(model);
        AtomicFiles.checkWritableTarget(file);
        if (state != null) {
            checkMasksFit(null, model, state);
        }
        long savedIteration = Dl4jModels.iterationCount(model);
        long savedEpoch = Dl4jModels.epochCount(model);
        long it = iteration >= 0 ? iteration : savedIteration;
        long ep = epoch >= 0 ? epoch : savedEpoch;
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        Dl4jModels.setCounts(model, Math.toIntExact(it), Math.toIntExact(ep));
        try {
            ModelSerializer.writeModel(model, dl4j, true);
        } finally {
            Dl4jModels.setCounts(model, Math.toIntExact(savedIteration), Math.toIntExact(savedEpoch));
        }
        Map<String, byte[]> extra = new LinkedHashMap<>();
        if (state != null) {
            extra.put(StateJson.ENTRY, StateJson.encode(state, kind, it, ep));
            extra.put(MaskCodec.ENTRY, MaskCodec.encode(state.masks()));
        }
        byte[] zip = dl4j.toByteArray();
        AtomicFiles.write(file, out -> ModelZip.rezip(zip, name -> true, extra, out));
    }

    /**
     * Reads a model saved by {@link #save} (or any DL4J model zip) with its updater state and, if
     * present, its pruning state.
     *
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws CorruptModelFileException when the file is truncated, damaged or not a model zip
     * @throws UnsupportedFormatVersionException when the Topiary entries are from a newer version
     * @throws ArchitectureMismatchException when the saved masks do not fit the saved model
     */
    public static RestoredModel restore(Path file) throws IOException {
        Contents c = read(file);
        Model model = loadDl4j(file, c.kind);
        if (c.state != null) {
            checkMasksFit(file, model, c.state);
        }
        return new RestoredModel(model, c.state, file);
    }

    /** The pruning state saved in {@code file}, if any, without loading the model. */
    public static Optional<PruningState> readState(Path file) throws IOException {
        return Optional.ofNullable(read(file).state);
    }

    /**
     * The pruning state saved in {@code file}, checked against {@code model}: every mask must
     * belong to a param of {@code model} with the same shape.
     *
     * @throws ArchitectureMismatchException when the file was saved from another architecture
     */
    public static PruningState readStateFor(Path file, Model model) throws IOException {
        Contents c = read(file);
        if (c.state == null) {
            throw new CorruptModelFileException(file, "has no pruning state (no " + StateJson.ENTRY + " entry); save it with PrunedModels.save(model, state, file)");
        }
        if (!c.kind.equals(Dl4jModels.kind(model))) {
            throw new ArchitectureMismatchException(file, "holds the state of a " + c.kind + " but the model is a " + Dl4jModels.kind(model) + "; load it onto the model it was saved with");
        }
        checkMasksFit(file, model, c.state);
        return c.state;
    }

    /**
     * Checks the whole file (zip structure, CRC of every entry, Topiary entries) without loading
     * the model.
     */
    public static void verify(Path file) throws IOException {
        read(file);
    }

    /**
     * Finalizes a pruned model: writes {@code out} as a plain DL4J model zip that vanilla DL4J
     * loads, with the masks baked into the weights (pruned weights are exactly {@code +0.0}), no updater
     * state, no Topiary entries and no Topiary classes in the configuration (Topiary
     * regularizers and constraints are dropped; they only act in training).
     *
     * @throws IllegalArgumentException when the configuration uses a Topiary class that cannot be
     *     dropped, such as a custom layer
     */
    public static void strip(Path in, Path out) throws IOException {
        AtomicFiles.checkWritableTarget(out);
        RestoredModel r = restore(in);
        Model model = r.model();
        r.state().ifPresent(s -> s.masks().forEach((id, mask) -> model.getParam(id).muli(mask)));
        model.params().addi(0.0); // -0.0 + 0.0 == +0.0: pruned weights become plain zeros, others are unchanged
        String cleaned = ConfigCleaner.removeTopiaryClasses(Dl4jModels.configJson(model));
        Model check = Dl4jModels.fromConfigJson(Dl4jModels.kind(model), cleaned);
        Checks.state(check.numParams() == model.numParams(), "stripping changed the number of params; report this as a bug");
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model, dl4j, false);
        byte[] zip = dl4j.toByteArray();
        Map<String, byte[]> extra = Map.of(ModelZip.CONFIGURATION, cleaned.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out, o -> ModelZip.rezip(zip, name -> !name.equals(ModelZip.CONFIGURATION) && !name.equals(ModelZip.UPDATER), extra, o));
    }

    // ---------------------------------------------------------------- internals

    private record Contents(String kind, PruningState state) {}

    private static Contents read(Path file) throws IOException {
        Map<String, byte[]> entries = ModelZip.verifyAndRead(file, n -> n.startsWith(ModelZip.TOPIARY_PREFIX) || n.equals(ModelZip.CONFIGURATION));
        String kind = Dl4jModels.kindOfConfigJson(file, entries.get(ModelZip.CONFIGURATION));
        byte[] json = entries.get(StateJson.ENTRY);
        byte[] bits = entries.get(MaskCodec.ENTRY);
        if (json == null && bits == null) {
            return new Contents(kind, null);
        }
        if (json == null || bits == null) {
            throw new CorruptModelFileException(
                    file, "has " + (json == null ? MaskCodec.ENTRY + " but no " + StateJson.ENTRY : StateJson.ENTRY + " but no " + MaskCodec.ENTRY)
                            + "; the pruning state is incomplete. Use an intact copy, or strip the file (PrunedModels.strip) to drop the state.");
        }
        StateJson.Header header = StateJson.decode(file, json);
        if (!header.model().equals(kind)) {
            throw new CorruptModelFileException(file, StateJson.ENTRY + " was written for a " + header.model() + " but the file holds a " + kind);
        }
        Map<String, INDArray> masks = MaskCodec.decode(file, bits);
        return new Contents(kind, StateJson.toState(file, header, masks));
    }

    private static Model loadDl4j(Path file, String kind) throws IOException {
        try {
            return Dl4jModels.CG.equals(kind)
                    ? ModelSerializer.restoreComputationGraph(file.toFile(), true)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        } catch (RuntimeException | IOException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new CorruptModelFileException(
                    file, "DL4J cannot load the model (" + root.getMessage() + "). If it names a class, add the library that provides it to the classpath.", e);
        }
    }

    private static void checkMasksFit(Path file, Model model, PruningState state) throws ArchitectureMismatchException {
        Map<String, INDArray> params = model.paramTable();
        for (Map.Entry<String, INDArray> e : state.masks().entrySet()) {
            INDArray p = params.get(e.getKey());
            if (p == null) {
                String msg = "the pruning state has a mask for '" + e.getKey() + "' but the model has no such param (params: "
                        + params.keySet() + "); it was saved from another architecture. Restore it onto the model it was saved with.";
                if (file == null) {
                    throw new IllegalArgumentException(msg);
                }
                throw new ArchitectureMismatchException(file, msg);
            }
            if (!Arrays.equals(p.shape(), e.getValue().shape())) {
                String msg = "the mask of '" + e.getKey() + "' has shape " + Arrays.toString(e.getValue().shape())
                        + " but the model's param has shape " + Arrays.toString(p.shape())
                        + "; it was saved from another architecture. Restore it onto the model it was saved with.";
                if (file == null) {
                    throw new IllegalArgumentException(msg);
                }
                throw new ArchitectureMismatchException(file, msg);
            }
        }
    }
}

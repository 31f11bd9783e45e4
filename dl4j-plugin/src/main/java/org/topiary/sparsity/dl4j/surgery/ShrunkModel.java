package org.topiary.sparsity.dl4j.surgery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.topiary.sparsity.dl4j.persist.internal.AtomicFiles;
import org.topiary.sparsity.dl4j.persist.internal.ConfigCleaner;
import org.topiary.sparsity.dl4j.persist.internal.Dl4jModels;
import org.topiary.sparsity.dl4j.persist.internal.ModelZip;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The result of {@link SurgeryPlan#apply()}: a new, standard DL4J model of the same kind as the
 * source (same layer types and settings, smaller {@code nIn}/{@code nOut}; fresh updater state,
 * iteration and epoch counts 0) and what changed.
 */
public final class ShrunkModel {
    private final Model model;
    private final ShrinkReport report;

    ShrunkModel(Model model, ShrinkReport report) {
        this.model = model;
        this.report = report;
    }

    /** The shrunk model, a MultiLayerNetwork or a ComputationGraph like the source. */
    public Model model() {
        return model;
    }

    /** The shrunk model as a MultiLayerNetwork; fails for a ComputationGraph. */
    public MultiLayerNetwork network() {
        if (!(model instanceof MultiLayerNetwork n)) {
            throw new IllegalStateException("the shrunk model is a ComputationGraph; call graph() or model()");
        }
        return n;
    }

    /** The shrunk model as a ComputationGraph; fails for a MultiLayerNetwork. */
    public ComputationGraph graph() {
        if (!(model instanceof ComputationGraph g)) {
            throw new IllegalStateException("the shrunk model is a MultiLayerNetwork; call network() or model()");
        }
        return g;
    }

    /**
     * Writes the shrunk model as a plain DL4J model zip that vanilla DL4J loads ({@code
     * ModelSerializer.restoreMultiLayerNetwork} / {@code restoreComputationGraph}): no updater
     * state, no Topiary entries, Topiary regularizers and constraints dropped from the
     * configuration (they only act in training). The file is replaced atomically.
     *
     * @throws IllegalArgumentException when the configuration uses a Topiary class that cannot be
     *     dropped, such as a custom layer
     * @throws java.nio.file.FileSystemException when the folder is missing or not writable
     */
    public void save(Path file) throws IOException {
        AtomicFiles.checkWritableTarget(file);
        String cleaned = ConfigCleaner.removeTopiaryClasses(Dl4jModels.configJson(model));
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model, dl4j, false);
        byte[] zip = dl4j.toByteArray();
        Map<String, byte[]> extra = Map.of(ModelZip.CONFIGURATION, cleaned.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(file, o -> ModelZip.rezip(zip, name -> !name.equals(ModelZip.CONFIGURATION) && !name.equals(ModelZip.UPDATER), extra, o));
    }

    /** Parameter counts and units per layer before and after. */
    public ShrinkReport report() {
        return report;
    }
}

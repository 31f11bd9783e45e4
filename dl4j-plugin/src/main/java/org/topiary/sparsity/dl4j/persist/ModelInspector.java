package org.topiary.sparsity.dl4j.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.internal.ModelAdapter;
import org.topiary.sparsity.dl4j.persist.internal.BitPacking;
import org.topiary.sparsity.dl4j.persist.internal.Dl4jModels;
import org.topiary.sparsity.internal.Arrays4j;

/**
 * Describes a model file: a DL4J zip (with or without Topiary's pruning state) or a {@link
 * SparseModelFormat} file. See {@link Inspection} for the table and the JSON form.
 */
public final class ModelInspector {
    private ModelInspector() {}

    /** Reads and describes {@code file}. */
    public static Inspection inspect(Path file) throws IOException {
        long fileBytes;
        Model model;
        PruningState state = null;
        String format;
        List<TensorPattern> patterns;
        if (SparseModelFormat.isSparseFile(file)) {
            model = SparseModelFormat.read(file);
            patterns = SparseModelFormat.readPatterns(file);
            format = "topiary-sparse-v" + (patterns.isEmpty() ? 1 : 2);
        } else {
            RestoredModel r = PrunedModels.restore(file);
            model = r.model();
            state = r.state().orElse(null);
            patterns = TensorPattern.listFor(model, state);
            format = state == null ? "dl4j-zip" : "dl4j-zip+topiary-pruning";
        }
        fileBytes = Files.size(file);
        return inspect(model, state, patterns, file, format, fileBytes);
    }

    /** Describes an in-memory model (and its pruning state, may be null). */
    public static Inspection inspect(Model model, PruningState state) {
        return inspect(model, state, TensorPattern.listFor(model, state), null, "in-memory", -1);
    }

    private static Inspection inspect(Model model, PruningState state, List<TensorPattern> patterns, Path file, String format,
                                      long fileBytes) {
        ModelAdapter adapter = ModelAdapter.of(model);
        List<Inspection.Row> rows = new ArrayList<>();
        for (ModelAdapter.LayerInfo l : adapter.layers()) {
            for (Map.Entry<String, INDArray> e : adapter.paramTable(l).entrySet()) {
                String id = adapter.paramId(l, e.getKey());
                INDArray p = e.getValue();
                INDArray mask = state == null ? null : state.mask(id);
                TensorSparsity t = TensorSparsity.measure(id, p, mask);
                long width = p.dataType().width();
                long dense = p.length() * width;
                long sparse = Math.min(dense, 8 + BitPacking.bytesFor(p.length()) + t.nonZeros() * width);
                rows.add(new Inspection.Row(l.name(), l.type(), e.getKey(), t, p.dataType().name(), dense, sparse,
                        mask == null ? -1 : Arrays4j.countNonZero(mask)));
            }
        }
        return new Inspection(file, format, fileBytes, Dl4jModels.kind(model), model.numParams(),
                Dl4jModels.iterationCount(model), Dl4jModels.epochCount(model), rows, state, patterns);
    }
}

package org.topiary.sparsity.dl4j.persist;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.StructureLayouts;
import org.topiary.sparsity.dl4j.internal.ModelAdapter;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.structure.BlockMasks;
import org.topiary.sparsity.structure.MatrixView;
import org.topiary.sparsity.structure.NOfMMasks;
import org.topiary.sparsity.structure.SparsityPattern;

/**
 * The semi-structured pattern of one weight tensor, as it travels with an exported model (the
 * sparse format's version 2 metadata, {@code topiary inspect}): which tensor, which pattern (N:M
 * or blocks), how the tensor reads as an {@code [outputs, inputs]} matrix (so that a runtime knows
 * along which dimension the runs of {@code m} lie) and whether the mask holds the pattern exactly
 * (every run of {@code m} keeps exactly {@code n}; false while a gradual schedule is still
 * converting runs).
 *
 * @param id DL4J param id, e.g. {@code "0_W"}
 * @param pattern {@link SparsityPattern.NOfM} or {@link SparsityPattern.Blocks}
 * @param outputs rows of the matrix view
 * @param inputs columns of the matrix view (the input dimension, e.g. {@code nIn·kH·kW})
 * @param outputsFirst true when the tensor's C-order elements are {@code [outputs, inputs]}
 *     (convolutions), false for {@code [inputs, outputs]} (dense {@code W [nIn, nOut]})
 * @param exact whether the mask holds the pattern exactly
 */
public record TensorPattern(String id, SparsityPattern pattern, long outputs, long inputs, boolean outputsFirst, boolean exact) {
    public TensorPattern {
        Checks.notNull("id", id);
        Checks.isTrue(
                pattern instanceof SparsityPattern.NOfM || pattern instanceof SparsityPattern.Blocks,
                "pattern of '%s' must be n-of-m or blocks, found %s",
                id,
                pattern);
        Checks.isTrue(outputs >= 1 && inputs >= 1, "outputs and inputs of '%s' must be >= 1", id);
    }

    /** {@code "inputs-by-outputs"} or {@code "outputs-by-inputs"}: the C-order layout's name. */
    public String layout() {
        return outputsFirst ? "outputs-by-inputs" : "inputs-by-outputs";
    }

    /**
     * The patterns of {@code model}'s masked weights when {@code state}'s pattern is N:M or blocks,
     * in model order; empty for other patterns or a null state.
     */
    public static List<TensorPattern> listFor(Model model, PruningState state) {
        List<TensorPattern> out = new ArrayList<>();
        if (state == null) {
            return out;
        }
        SparsityPattern p = state.config().pattern();
        if (!(p instanceof SparsityPattern.NOfM) && !(p instanceof SparsityPattern.Blocks)) {
            return out;
        }
        ModelAdapter adapter = ModelAdapter.of(model);
        for (ModelAdapter.LayerInfo l : adapter.layers()) {
            for (Map.Entry<String, INDArray> e : adapter.paramTable(l).entrySet()) {
                String id = adapter.paramId(l, e.getKey());
                INDArray mask = state.mask(id);
                if (mask == null) {
                    continue;
                }
                MatrixView v = StructureLayouts.matrixView(l.layer().conf().getLayer(), "layer " + l.name(), id, e.getKey(), e.getValue().shape());
                boolean exact = p instanceof SparsityPattern.NOfM nm
                        ? NOfMMasks.isNOfM(v, nm, mask)
                        : blocksExact(v, (SparsityPattern.Blocks) p, mask);
                out.add(new TensorPattern(id, p, v.outputs(), v.inputs(), v.outputsFirst(), exact));
            }
        }
        return out;
    }

    private static boolean blocksExact(MatrixView v, SparsityPattern.Blocks p, INDArray mask) {
        if (v.outputs() % p.rows() != 0 || v.inputs() % p.cols() != 0) {
            return false;
        }
        boolean[] kept = org.topiary.sparsity.internal.Arrays4j.toBooleanC(mask, v.length());
        for (long o0 = 0; o0 < v.outputs(); o0 += p.rows()) {
            for (long i0 = 0; i0 < v.inputs(); i0 += p.cols()) {
                boolean first = kept[v.index(o0, i0)];
                for (int r = 0; r < p.rows(); r++) {
                    for (int c = 0; c < p.cols(); c++) {
                        if (kept[v.index(o0 + r, i0 + c)] != first) {
                            return false;
                        }
                    }
                }
            }
        }
        BlockMasks.requireDivisible(v, p);
        return true;
    }
}

package org.topiary.sparsity.dl4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Zeroes the optimizer state (Adam's m and v, Nesterov's velocity, RmsProp's cache, …) at pruned
 * positions so that momentum cannot regrow a pruned weight.
 *
 * <p>DL4J groups params with equal updater configs into {@link UpdaterBlock}s; each state array of
 * a block's {@code GradientUpdater} is a flat view of the block's length, laid out like the
 * flattened params. A param occupies {@code [start - blockStart, end - blockStart)} of it, in the
 * param's own memory order ('f' for dense weights, 'c' for convolutions and SameDiff layers).
 */
public final class UpdaterStateMasker {
    private UpdaterStateMasker() {}

    /** Multiplies every updater state slice of {@code param} by {@code mask}; returns how many. */
    public static int apply(BaseMultiLayerUpdater<?> updater, ParamHandle param, INDArray mask) {
        return applyFlat(updater, param, flatMask(mask, param.view().ordering()));
    }

    /**
     * Multiplies every updater state slice of {@code param} by {@code flatMask}, a 1-D mask already
     * in the param's memory order (e.g. a {@link FlatMultiplier#slice}); returns how many.
     */
    public static int applyFlat(BaseMultiLayerUpdater<?> updater, ParamHandle param, INDArray flatMask) {
        List<INDArray> slices = slices(updater, param);
        for (INDArray s : slices) {
            s.muli(flatMask);
        }
        return slices.size();
    }

    /**
     * Live 1-D views of every updater state array's slice that belongs to {@code param}, in the
     * param's memory order. Empty for stateless updaters (Sgd, NoOp).
     */
    public static List<INDArray> slices(BaseMultiLayerUpdater<?> updater, ParamHandle param) {
        List<INDArray> out = new ArrayList<>();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
                if (!ModelAdapter.isStateOf(ps, param)) {
                    continue;
                }
                Map<String, INDArray> state = block.getGradientUpdater().getState();
                if (state == null) {
                    continue;
                }
                long from = ps.getParamOffsetStart() - block.getParamOffsetStart();
                long to = ps.getParamOffsetEnd() - block.getParamOffsetStart();
                for (INDArray s : state.values()) {
                    out.add(sliceOf(s, from, to, param.id()));
                }
            }
        }
        return out;
    }

    private static INDArray sliceOf(INDArray s, long from, long to, String id) {
        if (s.rank() == 1) {
            return s.get(NDArrayIndex.interval(from, to));
        }
        if (s.rank() == 2 && s.size(0) == 1) {
            return s.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, to));
        }
        if (s.rank() == 2 && s.size(1) == 1) {
            return s.get(NDArrayIndex.interval(from, to), NDArrayIndex.point(0));
        }
        throw new IllegalStateException(
                "updater state of '" + id + "' has shape " + java.util.Arrays.toString(s.shape())
                        + "; expected a vector. Topiary cannot zero it at pruned positions");
    }

    /** The mask's elements in the given memory order, as a 1-D array. */
    public static INDArray flatMask(INDArray mask, char order) {
        return mask.dup(order).reshape(order, new long[] {mask.length()});
    }
}

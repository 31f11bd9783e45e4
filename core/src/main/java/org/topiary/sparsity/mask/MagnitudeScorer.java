package org.topiary.sparsity.mask;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.topiary.sparsity.ImportanceScorer;
import org.topiary.sparsity.PrunableTensor;

/** Score = |w|. JSON: {@code {"type": "magnitude"}}. */
public final class MagnitudeScorer implements ImportanceScorer {
    /** Type id in Topiary's JSON. */
    public static final String TYPE = "magnitude";

    /** The only instance. */
    public static final MagnitudeScorer INSTANCE = new MagnitudeScorer();

    private MagnitudeScorer() {}

    @Override
    public INDArray score(PrunableTensor tensor, long step) {
        return Transforms.abs(tensor.weights(), true);
    }

    @Override
    public String typeId() {
        return TYPE;
    }

    @Override
    public String toString() {
        return "magnitude";
    }
}

package org.topiary.sparsity.mask;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Abs;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.ImportanceScorer;
import org.topiary.sparsity.PrunableTensor;

/**
 * Score = |w|, returned in C order whatever the weights' order (one native pass: the mask code
 * reads scores in C order, so an F-order score array would cost another copy). JSON: {@code
 * {"type": "magnitude"}}.
 */
public final class MagnitudeScorer implements ImportanceScorer {
    /** Type id in Topiary's JSON. */
    public static final String TYPE = "magnitude";

    /** The only instance. */
    public static final MagnitudeScorer INSTANCE = new MagnitudeScorer();

    private MagnitudeScorer() {}

    @Override
    public INDArray score(PrunableTensor tensor, long step) {
        INDArray w = tensor.weights();
        INDArray out = Nd4j.createUninitialized(w.dataType(), w.shape(), 'c');
        Nd4j.exec(new Abs(w, out));
        return out;
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

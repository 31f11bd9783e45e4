package org.topiary.sparsity.dl4j.internal;

import java.util.List;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * Decides whether re-masking pruned weights after every update is provably a no-op for a param.
 *
 * <p>It is when a weight that is exactly 0.0, whose raw gradient is masked to 0 and whose updater
 * state is 0, always receives an update of exactly 0: true for every ND4J built-in updater (Sgd,
 * Nesterovs, Adam, AdaMax, Nadam, AMSGrad, RmsProp, AdaGrad, AdaDelta, NoOp: each update is a
 * product with the gradient or with state built only from it), for L1 ({@code sign(0) = 0}), L2
 * and weight decay ({@code λ·0}) and for Topiary's own regularizers (their prox maps 0 to 0), with
 * no layer constraints. Anything else (a custom updater or regularizer, a constraint) makes it
 * unprovable, and the listener then re-masks the weights after every update.
 */
public final class ZeroPreservation {
    private static final String ND4J_UPDATERS = "org.nd4j.linalg.learning.config.";
    private static final String TOPIARY_REGULARIZERS = "org.topiary.sparsity.dl4j.conf.";

    private ZeroPreservation() {}

    /** True when a zero weight of {@code param} provably stays exactly zero once masked. */
    public static boolean isProvable(ParamHandle param) {
        org.deeplearning4j.nn.conf.layers.Layer conf = param.layer().conf().getLayer();
        if (conf.getConstraints() != null && !conf.getConstraints().isEmpty()) {
            return false;
        }
        Trainable trainable = param.layer();
        TrainingConfig config = trainable.getConfig();
        IUpdater updater = config.getUpdaterByParam(param.key());
        if (updater == null || !updater.getClass().getName().startsWith(ND4J_UPDATERS)) {
            return false;
        }
        List<Regularization> regs = config.getRegularizationByParam(param.key());
        if (regs != null) {
            for (Regularization r : regs) {
                boolean builtIn = r instanceof L1Regularization || r instanceof L2Regularization || r instanceof WeightDecay;
                if (!builtIn && !r.getClass().getName().startsWith(TOPIARY_REGULARIZERS)) {
                    return false;
                }
            }
        }
        return true;
    }
}

package org.topiary.sparsity.dl4j.conf;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * A test-only POST_UPDATER "regularizer" that changes nothing and keeps a copy of what DL4J
 * passes it: the weights before the step, the update the optimizer is about to subtract (after
 * the updater, before any later regularizer) and the learning rate. Placed right before a
 * proximal regularizer in a layer's list, it lets a test recompute the prox independently.
 * {@code clone()} returns this instance so the copy DL4J keeps is the one the test reads.
 */
final class UpdateRecorder implements Regularization {
    INDArray param;
    INDArray update;
    double lr;
    int iteration;
    int calls;

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.POST_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray update, double lr, int iteration, int epoch) {
        // DL4J runs the updater inside a workspace; keep the copies outside it.
        try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            this.param = param.dup();
            this.update = update.dup();
        }
        this.lr = lr;
        this.iteration = iteration;
        calls++;
    }

    @Override
    public double score(INDArray param, int iteration, int epoch) {
        return 0;
    }

    @Override
    public Regularization clone() {
        return this;
    }
}

package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.testkit.TestNets;
import org.topiary.sparsity.dl4j.testkit.TestNets.Arch;

/**
 * The per-step weight re-mask is skipped only when it is provably a no-op; with anything that can
 * move a zero weight (a custom post-updater term, a constraint) it runs after every update.
 */
class WeightRemaskTest {

    /** A post-updater term that moves every weight, zeros included. */
    static final class Drift implements Regularization {
        @Override
        public ApplyStep applyStep() {
            return ApplyStep.POST_UPDATER;
        }

        @Override
        public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
            gradView.subi(1e-3);
        }

        @Override
        public double score(INDArray param, int iteration, int epoch) {
            return 0;
        }

        @Override
        public Regularization clone() {
            return new Drift();
        }
    }

    private static PruningConfig config() {
        return PruningConfig.builder().setSchedule(SparsitySchedule.polynomial(0, 0.7, 2, 8)).optWindow(new UpdateWindow(2, 8, 2)).build();
    }

    private static MultiLayerNetwork net(boolean drift, boolean constraint) {
        DenseLayer.Builder hidden = new DenseLayer.Builder().nIn(10).nOut(16).activation(Activation.RELU);
        if (drift) {
            hidden.regularization(List.of(new Drift()));
        }
        if (constraint) {
            hidden.constrainWeights(new MaxNormConstraint(2.0, 0));
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.01)).list()
                .layer(hidden.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    @Test
    void builtInUpdatersAndRegularizersSkipThePerStepRemask() {
        PruningListener p = PruningListener.attach(TestNets.build(Arch.MLN_DENSE, new Adam(0.01), true, 1).model(), config());
        assertThat(p.remasksEveryStep()).isFalse();
    }

    @Test
    void customPostUpdaterTermOrConstraintForcesThePerStepRemask() {
        assertThat(PruningListener.attach(net(true, false), config()).remasksEveryStep()).isTrue();
        assertThat(PruningListener.attach(net(false, true), config()).remasksEveryStep()).isTrue();
    }

    @Test
    void weightsStayExactlyZeroEvenWhenAPostUpdaterTermMovesZeros() {
        MultiLayerNetwork n = net(true, false);
        PruningListener p = PruningListener.attach(n, config());
        long[] bad = {0};
        n.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                INDArray mask = p.state().mask("0_W");
                if (mask != null) {
                    bad[0] += PruningListenerInvariantsTest.nonZeroWherePruned(model.getParam("0_W"), mask);
                }
            }
        });
        DataSet batch = new DataSet(Nd4j.randn(DataType.FLOAT, 8, 10), Nd4j.eye(3).getRows(0, 1, 2, 0, 1, 2, 0, 1).castTo(DataType.FLOAT));
        for (int i = 0; i < 12; i++) {
            n.fit(batch);
        }
        assertThat(p.state().mask("0_W")).isNotNull();
        assertThat(bad[0]).isZero();
    }
}

package org.topiary.examples.search;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.topiary.examples.train.ModelZoo;

/**
 * LeNet-300-100 with optional weight regularizers. Without regularizers its configuration equals
 * {@link ModelZoo#lenet300100(long)}'s (a test checks the JSON), so a search candidate without L1
 * trains the same network as {@code topiary prune}.
 */
final class SearchNets {

    private SearchNets() {}

    static MultiLayerNetwork lenet300100(long seed, List<Regularization> weightRegs) {
        MultiLayerConfiguration conf =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .dataType(DataType.FLOAT)
                        .updater(new Adam(ModelZoo.LEARNING_RATE))
                        .weightInit(WeightInit.XAVIER)
                        .list()
                        .layer(dense("fc1", 300, weightRegs))
                        .layer(dense("fc2", 100, weightRegs))
                        .layer(output(weightRegs))
                        .setInputType(InputType.feedForward(ModelZoo.INPUTS))
                        .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DenseLayer dense(String name, int units, List<Regularization> regs) {
        DenseLayer.Builder b = new DenseLayer.Builder().name(name).nOut(units).activation(Activation.RELU);
        if (!regs.isEmpty()) {
            b.regularization(copy(regs));
        }
        return b.build();
    }

    private static OutputLayer output(List<Regularization> regs) {
        OutputLayer.Builder b =
                new OutputLayer.Builder(LossFunction.MCXENT)
                        .name("out")
                        .nOut(ModelZoo.CLASSES)
                        .activation(Activation.SOFTMAX);
        if (!regs.isEmpty()) {
            b.regularization(copy(regs));
        }
        return b.build();
    }

    /** Each layer gets its own list of its own regularizer copies. */
    private static List<Regularization> copy(List<Regularization> regs) {
        List<Regularization> out = new ArrayList<>();
        for (Regularization r : regs) {
            out.add(r.clone());
        }
        return out;
    }
}

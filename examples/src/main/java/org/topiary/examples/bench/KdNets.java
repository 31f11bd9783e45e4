package org.topiary.examples.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The FMNIST-KD networks ({@code DESIGN.md}): flat {@code [batch, 784]} inputs, float32, Xavier,
 * Adam 1e-3, softmax + cross-entropy. Students are built in the ordinary softmax form; the
 * distillation trainer switches their head.
 */
final class KdNets {
    static final int INPUTS = 784;
    static final int CLASSES = 10;

    private KdNets() {}

    /** The students of the protocol. */
    enum Student {
        /** 784-300-100-10, ReLU. */
        LENET_300_100("lenet-300-100", 300, 100),
        /** 784-32-10, ReLU. */
        MLP_32("784-32-10", 32);

        final String id;
        final int[] hidden;

        Student(String id, int... hidden) {
            this.id = id;
            this.hidden = hidden;
        }

        MultiLayerNetwork build(long seed) {
            NeuralNetConfiguration.ListBuilder b = base(seed).list();
            int in = INPUTS;
            for (int h : hidden) {
                b.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
                in = h;
            }
            b.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(in).nOut(CLASSES).activation(Activation.SOFTMAX).build());
            return init(b.build());
        }

        static Student byId(String id) {
            for (Student s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown student '" + id + "'; students: lenet-300-100, 784-32-10");
        }
    }

    /**
     * The teacher: conv 5×5×32 → ReLU → max-pool 2 → conv 5×5×64 → ReLU → max-pool 2 → dense 256
     * (ReLU, dropout 0.3, i.e. DL4J retain probability 0.7) → 10, input {@code
     * convolutionalFlat(28, 28, 1)}.
     */
    static MultiLayerNetwork teacher(long seed) {
        MultiLayerConfiguration conf = base(seed)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(32).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(256).activation(Activation.RELU).dropOut(new Dropout(0.7)).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        return init(conf);
    }

    private static NeuralNetConfiguration.Builder base(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER);
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}

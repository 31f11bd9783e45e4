package org.topiary.examples.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.topiary.examples.train.ModelZoo;

/**
 * The FMNIST-KD networks ({@code DESIGN.md}): flat {@code [batch, 784]} inputs, float32, Xavier,
 * Adam 1e-3, softmax + cross-entropy. LeNet-300-100 and the CNN teacher come from {@link ModelZoo};
 * the 784-32-10 student is defined here. Students are built in the ordinary softmax form; the
 * distillation trainer switches their head.
 */
public final class KdNets {
    static final int INPUTS = 784;
    static final int CLASSES = 10;

    private KdNets() {}

    /** The students of the protocol. */
    public enum Student {
        /** 784-300-100-10, ReLU: {@link ModelZoo#lenet300100(long)}. */
        LENET_300_100("lenet-300-100", 300, 100),
        /** 784-32-10, ReLU. */
        MLP_32("784-32-10", 32);

        /** The student's name in results. */
        public final String id;
        final int[] hidden;

        Student(String id, int... hidden) {
            this.id = id;
            this.hidden = hidden;
        }

        /** The student initialised from {@code seed}. */
        public MultiLayerNetwork build(long seed) {
            if (this == LENET_300_100) {
                return ModelZoo.lenet300100(seed);
            }
            NeuralNetConfiguration.ListBuilder b = base(seed).list();
            int in = INPUTS;
            for (int h : hidden) {
                b.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
                in = h;
            }
            b.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(in).nOut(CLASSES).activation(Activation.SOFTMAX).build());
            return init(b.build());
        }

        /** The student called {@code id} ({@code lenet-300-100} or {@code 784-32-10}). */
        public static Student byId(String id) {
            for (Student s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown student '" + id + "'; students: lenet-300-100, 784-32-10");
        }
    }

    /** The teacher: {@link ModelZoo#smallCnn(long)}. */
    static MultiLayerNetwork teacher(long seed) {
        return ModelZoo.smallCnn(seed);
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

package org.topiary.sparsity.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.structure.GroupScorer;
import org.topiary.sparsity.structure.SparsityPattern;

/** Filter groups of the convolution layouts other than 2-D: the filter axis of each W layout. */
class ConvolutionGroupsTest {
    private static final int FILTERS = 6;

    enum Kind {
        CONV1D(new Convolution1DLayer.Builder().kernelSize(3).nOut(FILTERS).build(), InputType.recurrent(2, 8), new long[] {4, 2, 8}, 0),
        CONV3D(new Convolution3D.Builder().kernelSize(2, 2, 2).nOut(FILTERS).build(), InputType.convolutional3D(4, 4, 4, 2), new long[] {4, 2, 4, 4, 4}, 0),
        DECONV2D(new Deconvolution2D.Builder(2, 2).nOut(FILTERS).build(), InputType.convolutional(4, 4, 2), new long[] {4, 2, 4, 4}, 1),
        DECONV3D(new Deconvolution3D.Builder().kernelSize(2, 2, 2).nOut(FILTERS).build(), InputType.convolutional3D(3, 3, 3, 2), new long[] {4, 2, 3, 3, 3}, 3);

        final Layer layer;
        final InputType input;
        final long[] batchShape;
        final int filterAxis;

        Kind(Layer layer, InputType input, long[] batchShape, int filterAxis) {
            this.layer = layer;
            this.input = input;
            this.batchShape = batchShape;
            this.filterAxis = filterAxis;
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void halfTheFiltersAndTheirBiasesAreZeroAlongTheLayoutsFilterAxis(Kind kind) {
        Nd4j.getRandom().setSeed(1);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(0.01))
                .list()
                .layer(kind.layer.clone())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(kind.input)
                .build());
        net.init();
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 2);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % 2, 1f);
        }
        PruningConfig config = PruningConfig.builder()
                .setSchedule(SparsitySchedule.oneShot(0.5, 1))
                .optWindow(UpdateWindow.once(1))
                .optPattern(SparsityPattern.groups(GroupScorer.l1()))
                .optLayers("0")
                .build();
        PruningListener pruning = PruningListener.attach(net, config);
        for (int i = 0; i < 3; i++) {
            net.fit(Nd4j.randn(DataType.FLOAT, kind.batchShape), y);
        }
        INDArray w = net.getParam("0_W");
        INDArray b = net.getParam("0_b");
        assertThat(w.size(kind.filterAxis)).isEqualTo(FILTERS);
        int[] perm = new int[w.rank()];
        perm[0] = kind.filterAxis;
        for (int d = 0, j = 1; d < w.rank(); d++) {
            if (d != kind.filterAxis) {
                perm[j++] = d;
            }
        }
        INDArray byFilter = w.permute(perm).dup('c').reshape(FILTERS, w.length() / FILTERS);
        int zero = 0;
        for (int o = 0; o < FILTERS; o++) {
            boolean removed = byFilter.getRow(o).amaxNumber().doubleValue() == 0;
            assertThat(b.getDouble(o) == 0).as("bias of filter %d", o).isEqualTo(removed);
            zero += removed ? 1 : 0;
        }
        assertThat(zero).isEqualTo(FILTERS / 2);
        assertThat(pruning.groupCounts().get("0")).containsExactly(FILTERS / 2, FILTERS);
    }
}

package org.topiary.sparsity.dl4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * applyFlat against the plain product {@code s.dup().muli(flatMask)} (what any change to how the
 * mask is cast must keep): bit-identical for every state array of Adam (m, v), AMSGrad (m, v,
 * vHat), Nesterovs (v) and RmsProp (g), in FLOAT and DOUBLE networks, with UINT8, BOOL, FLOAT and
 * DOUBLE masks; exactly 0 wherever the mask is 0; state and mask keep their types.
 */
class UpdaterStateMaskerTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        IUpdater[] updaters = {new Adam(0.01), new AMSGrad(0.01), new Nesterovs(0.05, 0.9), new RmsProp(0.01)};
        for (IUpdater u : updaters) {
            for (DataType net : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                for (DataType mask : new DataType[] {DataType.UINT8, DataType.BOOL, DataType.FLOAT, DataType.DOUBLE}) {
                    out.add(Arguments.of(u.getClass().getSimpleName(), u, net, mask));
                }
            }
        }
        return out.stream();
    }

    private static MultiLayerNetwork trained(IUpdater updater, DataType dt) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(dt).updater(updater)
                .list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(3)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(9);
        for (int i = 0; i < 3; i++) {
            net.fit(Nd4j.rand(dt, 8, 6).subi(0.5), Nd4j.rand(dt, 8, 3));
        }
        return net;
    }

    private static ParamHandle handle(ModelAdapter adapter, String id) {
        for (ModelAdapter.LayerInfo l : adapter.layers()) {
            for (var e : adapter.paramTable(l).entrySet()) {
                if (adapter.paramId(l, e.getKey()).equals(id)) {
                    return new ParamHandle(id, l.name(), l.index(), l.type(), e.getKey(), l.layer(), e.getValue());
                }
            }
        }
        throw new AssertionError("no param " + id);
    }

    @ParameterizedTest(name = "{0} {2} mask {3}")
    @MethodSource("cases")
    void castOnceEqualsTheOldPerSliceProduct(String name, IUpdater updater, DataType net, DataType maskType) {
        MultiLayerNetwork model = trained(updater, net);
        ModelAdapter adapter = ModelAdapter.of(model);
        Random r = new Random(3);
        int paramsChecked = 0;
        for (String id : new String[] {"0_W", "0_b", "1_W", "1_b"}) {
            ParamHandle h = handle(adapter, id);
            long n = h.view().length();
            double[] bits = new double[(int) n];
            for (int i = 0; i < n; i++) {
                bits[i] = r.nextBoolean() ? 1 : 0;
            }
            INDArray flat = Nd4j.createFromArray(bits).castTo(maskType);
            List<INDArray> slices = UpdaterStateMasker.slices(adapter.updater(), h);
            assertThat(slices).as("%s state slices of %s", name, id).isNotEmpty();
            List<INDArray> expected = new ArrayList<>();
            for (INDArray s : slices) {
                assertThat(s.dataType()).isEqualTo(net);
                assertThat(s.sumNumber().doubleValue()).as("state of %s is populated", id).isNotZero();
                expected.add(s.dup().muli(flat)); // the product before the refactor
            }

            int count = UpdaterStateMasker.applyFlat(adapter.updater(), h, flat);

            assertThat(count).isEqualTo(slices.size());
            List<INDArray> after = UpdaterStateMasker.slices(adapter.updater(), h);
            for (int k = 0; k < after.size(); k++) {
                INDArray s = after.get(k);
                assertThat(s.dataType()).isEqualTo(net);
                assertThat(s).as("%s slice %d of %s", name, k, id).isEqualTo(expected.get(k));
                for (int i = 0; i < n; i++) {
                    if (bits[i] == 0) {
                        assertThat(s.getDouble(i)).isZero();
                    }
                }
            }
            assertThat(flat.dataType()).as("the caller's mask keeps its type").isEqualTo(maskType);
            paramsChecked++;
        }
        assertThat(paramsChecked).isEqualTo(4);
    }
}

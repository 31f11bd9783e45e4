package org.topiary.examples.bench;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Removes dead hidden neurons from a chain of dense layers (DenseLayer... OutputLayer), which
 * proves that a structured-sparsity result really shrinks the network. A hidden neuron {@code j}
 * of layer {@code l} is dead when
 *
 * <ul>
 *   <li>its incoming weights (column {@code j} of {@code W_l}) are all exactly zero: its output is
 *       the constant {@code act(b_l[j])}, which is folded into the next bias, {@code b_{l+1} +=
 *       act(b_l[j]) · W_{l+1}[j, :]}; or
 *   <li>its outgoing weights (row {@code j} of {@code W_{l+1}}) are all exactly zero: nothing
 *       reads it.
 * </ul>
 *
 * <p>Layers are processed from the input on, so a folded constant is part of the next layer's
 * bias before that layer's neurons are examined. The shrunk network computes the same function up
 * to float summation order. Only used by the benchmark; general structured surgery belongs to the
 * plugin.
 */
final class DeadNeuronSurgery {
    private DeadNeuronSurgery() {}

    /** The shrunk network and the hidden sizes before and after. */
    record Shrunk(MultiLayerNetwork net, List<Long> before, List<Long> after) {
        long removed() {
            long r = 0;
            for (int i = 0; i < before.size(); i++) {
                r += before.get(i) - after.get(i);
            }
            return r;
        }

        long hidden() {
            return before.stream().mapToLong(Long::longValue).sum();
        }
    }

    static Shrunk shrink(MultiLayerNetwork net) {
        int n = net.getnLayers();
        List<INDArray> w = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        for (int l = 0; l < n; l++) {
            w.add(net.getParam(l + "_W").dup());
            b.add(net.getParam(l + "_b").dup().reshape(1, -1));
        }
        List<Long> before = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        for (int l = 0; l < n - 1; l++) {
            IActivation act = ((FeedForwardLayer) net.getLayerWiseConfigurations().getConf(l).getLayer()).getActivationFn();
            INDArray wl = w.get(l);
            INDArray next = w.get(l + 1);
            long units = wl.columns();
            INDArray inAbsMax = wl.amax(0);
            INDArray outAbsMax = next.amax(1);
            INDArray constants = act.getActivation(b.get(l).dup(), false);
            List<Long> keep = new ArrayList<>();
            for (long j = 0; j < units; j++) {
                boolean deadIn = inAbsMax.getDouble(j) == 0.0;
                boolean deadOut = outAbsMax.getDouble(j) == 0.0;
                if (deadIn && !deadOut) {
                    b.get(l + 1).addi(next.getRow(j).reshape(1, -1).mul(constants.getDouble(0, j)));
                }
                if (!deadIn && !deadOut) {
                    keep.add(j);
                }
            }
            long[] idx = keep.stream().mapToLong(Long::longValue).toArray();
            before.add(units);
            after.add((long) idx.length);
            if (idx.length == 0) {
                throw new IllegalStateException("layer " + l + " has no live neuron left; nothing to evaluate");
            }
            w.set(l, wl.get(NDArrayIndex.all(), NDArrayIndex.indices(idx)).dup('f'));
            b.set(l, b.get(l).get(NDArrayIndex.point(0), NDArrayIndex.indices(idx)).reshape(1, -1).dup());
            w.set(l + 1, next.get(NDArrayIndex.indices(idx), NDArrayIndex.all()).dup('f'));
        }
        NeuralNetConfiguration.ListBuilder lb =
                new NeuralNetConfiguration.Builder().dataType(net.getLayerWiseConfigurations().getDataType()).list();
        for (int l = 0; l < n; l++) {
            FeedForwardLayer src = (FeedForwardLayer) net.getLayerWiseConfigurations().getConf(l).getLayer();
            long nIn = w.get(l).rows();
            long nOut = w.get(l).columns();
            if (l < n - 1) {
                lb.layer(new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(src.getActivationFn()).build());
            } else {
                OutputLayer out = (OutputLayer) src;
                lb.layer(new OutputLayer.Builder(out.getLossFn()).nIn(nIn).nOut(nOut).activation(out.getActivationFn()).build());
            }
        }
        MultiLayerConfiguration conf = lb.build();
        MultiLayerNetwork shrunk = new MultiLayerNetwork(conf);
        shrunk.init();
        for (int l = 0; l < n; l++) {
            shrunk.getParam(l + "_W").assign(w.get(l));
            shrunk.getParam(l + "_b").assign(b.get(l).reshape(shrunk.getParam(l + "_b").shape()));
        }
        return new Shrunk(shrunk, before, after);
    }

    /** Number of exactly-zero columns of {@code w} (neurons with no incoming weight). */
    static long zeroColumns(INDArray w) {
        INDArray m = w.amax(0);
        long c = 0;
        for (long j = 0; j < m.length(); j++) {
            c += m.getDouble(j) == 0.0 ? 1 : 0;
        }
        return c;
    }
}

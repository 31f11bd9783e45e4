package org.topiary.sparsity.dl4j.surgery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.topiary.sparsity.dl4j.conf.GroupLasso;
import org.topiary.sparsity.dl4j.conf.ProximalGroupLasso;
import org.topiary.sparsity.dl4j.surgery.Topology.Kind;
import org.topiary.sparsity.dl4j.surgery.Topology.Node;

/**
 * Builds the smaller model of an analysis: a copy of the configuration with smaller {@code nIn},
 * {@code nOut} and flattened channel counts, a fresh network from it, and the kept params copied
 * (removed inputs' constants folded into the consumers' biases). The source model is not changed.
 */
final class Shrinker {
    private Shrinker() {}

    static Model shrink(UnitAnalysis a) {
        Topology t = a.topology();
        Model shrunk;
        if (t.model() instanceof MultiLayerNetwork net) {
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
            for (Node n : t.order()) {
                if (n.conf() != null) {
                    int i = Integer.parseInt(n.id());
                    resize(a, n, conf.getConf(i).getLayer(), conf.getInputPreProcess(i));
                }
            }
            MultiLayerNetwork m = new MultiLayerNetwork(conf);
            m.init();
            for (Node n : t.order()) {
                if (n.conf() != null) {
                    copyParams(a, n, m.getLayer(Integer.parseInt(n.id())));
                }
            }
            shrunk = m;
        } else {
            ComputationGraph cg = (ComputationGraph) t.model();
            ComputationGraphConfiguration conf = cg.getConfiguration().clone();
            for (Node n : t.order()) {
                if (n.conf() != null) {
                    LayerVertex v = (LayerVertex) conf.getVertices().get(n.id());
                    resize(a, n, v.getLayerConf().getLayer(), v.getPreProcessor());
                }
            }
            ComputationGraph m = new ComputationGraph(conf);
            m.init();
            for (Node n : t.order()) {
                if (n.conf() != null) {
                    copyParams(a, n, m.getLayer(n.id()));
                }
            }
            shrunk = m;
        }
        return shrunk;
    }

    /** Spatial positions per channel when {@code n}'s input is flattened from NCHW, else 1. */
    private static long positions(Node n) {
        if (n.pre() != null && UnitAnalysis.isNchwFlatten(n.pre())) {
            CnnToFeedForwardPreProcessor p = (CnnToFeedForwardPreProcessor) n.pre();
            return p.getInputHeight() * p.getInputWidth();
        }
        return 1;
    }

    private static void resize(UnitAnalysis a, Node n, Layer layer, InputPreProcessor pre) {
        String input = n.inputs().get(0);
        int removedIn = a.removedCount(input);
        int removedOut = a.removedCount(n.id());
        if (layer instanceof FeedForwardLayer ff) {
            if (ff.getNIn() > 0) {
                ff.setNIn(ff.getNIn() - removedIn * positions(n));
            }
            if (ff.getNOut() > 0) {
                ff.setNOut(ff.getNOut() - removedOut);
            }
        }
        if (removedIn > 0 && pre instanceof CnnToFeedForwardPreProcessor p) {
            p.setNumChannels(p.getNumChannels() - removedIn);
        }
        if ((removedIn > 0 || removedOut > 0) && layer instanceof BaseLayer base) {
            base.setRegularization(withoutShapeBound(base.getRegularization()));
            base.setRegularizationBias(withoutShapeBound(base.getRegularizationBias()));
        }
    }

    /** Drops group-lasso regularizers: their group layout names the param's old shape. */
    private static List<Regularization> withoutShapeBound(List<Regularization> regs) {
        if (regs == null) {
            return null;
        }
        List<Regularization> kept = new ArrayList<>();
        for (Regularization r : regs) {
            if (!(r instanceof GroupLasso) && !(r instanceof ProximalGroupLasso)) {
                kept.add(r);
            }
        }
        return kept;
    }

    private static void copyParams(UnitAnalysis a, Node n, org.deeplearning4j.nn.api.Layer dst) {
        org.deeplearning4j.nn.api.Layer src = n.impl();
        Set<String> done = new HashSet<>();
        String input = n.inputs().get(0);
        long[] keptOut = kept(a.removed(n.id()), a.channels(n.id()));
        if (n.kind() == Kind.DENSE || n.kind() == Kind.OUTPUT) {
            INDArray w = src.getParam("W");
            long positions = positions(n);
            boolean[] removedCh = a.removed(input);
            long[] keptIn = keptFeatures(removedCh, w.rows(), positions);
            INDArray wOut = keptOut == null ? w : w.get(NDArrayIndex.all(), NDArrayIndex.indices(keptOut));
            dst.getParam("W").assign(keptIn == null ? wOut : wOut.get(NDArrayIndex.indices(keptIn), NDArrayIndex.all()));
            done.add("W");
            if (src.paramTable().containsKey("b")) {
                INDArray b = src.getParam("b").reshape(1, w.columns());
                INDArray bOut = (keptOut == null ? b.dup() : b.get(NDArrayIndex.point(0), NDArrayIndex.indices(keptOut)).reshape(1, -1)).dup();
                if (removedCh != null) {
                    double[] c = a.constants(input);
                    long nFeat = w.rows();
                    int nRemoved = a.removedCount(input) * (int) positions;
                    long[] rows = new long[nRemoved];
                    double[] vals = new double[nRemoved];
                    int k = 0;
                    for (long f = 0; f < nFeat; f++) {
                        int ch = (int) (f / positions);
                        if (removedCh[ch]) {
                            rows[k] = f;
                            vals[k++] = c[ch];
                        }
                    }
                    INDArray cv = Nd4j.createFromArray(vals).castTo(w.dataType()).reshape(1, nRemoved);
                    bOut.addi(cv.mmul(wOut.get(NDArrayIndex.indices(rows), NDArrayIndex.all())));
                }
                dst.getParam("b").assign(bOut.reshape(dst.getParam("b").shape()));
                done.add("b");
            }
        } else if (n.kind() == Kind.CONV) {
            INDArray w = src.getParam("W");
            boolean[] removedCh = a.removed(input);
            long[] keptIn = kept(removedCh, w.size(1));
            INDArray wOut = keptOut == null ? w : select(w, 0, keptOut);
            INDArray wKept = keptIn == null ? wOut : select(wOut, 1, keptIn);
            dst.getParam("W").assign(wKept);
            done.add("W");
            if (src.paramTable().containsKey("b")) {
                INDArray b = src.getParam("b").reshape(1, w.size(0));
                INDArray bOut = (keptOut == null ? b.dup() : b.get(NDArrayIndex.point(0), NDArrayIndex.indices(keptOut)).reshape(1, -1)).dup();
                if (removedCh != null) {
                    double[] c = a.constants(input);
                    long[] rem = removedIndices(removedCh);
                    double[] vals = new double[rem.length];
                    for (int k = 0; k < rem.length; k++) {
                        vals[k] = c[(int) rem[k]];
                    }
                    INDArray kernelSums = wOut.sum(2, 3); // [nOutKept, nIn]
                    INDArray cv = Nd4j.createFromArray(vals).castTo(w.dataType()).reshape(rem.length, 1);
                    bOut.addi(kernelSums.get(NDArrayIndex.all(), NDArrayIndex.indices(rem)).mmul(cv).reshape(1, -1));
                }
                dst.getParam("b").assign(bOut.reshape(dst.getParam("b").shape()));
                done.add("b");
            }
        } else if (n.kind() == Kind.BATCHNORM) {
            for (Map.Entry<String, INDArray> e : src.paramTable().entrySet()) {
                INDArray p = e.getValue().reshape(1, e.getValue().length());
                INDArray kept = keptOut == null ? p : p.get(NDArrayIndex.point(0), NDArrayIndex.indices(keptOut));
                dst.getParam(e.getKey()).assign(kept.reshape(dst.getParam(e.getKey()).shape()));
                done.add(e.getKey());
            }
        }
        for (Map.Entry<String, INDArray> e : dst.paramTable().entrySet()) {
            if (done.contains(e.getKey())) {
                continue;
            }
            INDArray s = src.getParam(e.getKey());
            if (s == null || !java.util.Arrays.equals(s.shape(), e.getValue().shape())) {
                throw new IllegalStateException("param '" + e.getKey() + "' of " + n.describe()
                        + " changed shape but the surgery does not know how to slice it; report this as a bug");
            }
            e.getValue().assign(s);
        }
    }

    /** The slices {@code idx} of {@code x} along {@code dim}, as a new 'c'-order array. */
    static INDArray select(INDArray x, int dim, long[] idx) {
        int rank = x.rank();
        int[] perm = new int[rank];
        perm[0] = dim;
        for (int d = 0, k = 1; d < rank; d++) {
            if (d != dim) {
                perm[k++] = d;
            }
        }
        int[] inverse = new int[rank];
        for (int d = 0; d < rank; d++) {
            inverse[perm[d]] = d;
        }
        INDArray front = x.permute(perm).dup('c');
        long[] shape = front.shape();
        int[] rows = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            rows[k] = (int) idx[k];
        }
        INDArray picked = front.reshape('c', shape[0], front.length() / shape[0]).getRows(rows);
        shape[0] = idx.length;
        return picked.reshape('c', shape).permute(inverse).dup('c');
    }

    /** Kept indices among {@code count}, or null when nothing is removed. */
    static long[] kept(boolean[] removed, long count) {
        if (removed == null) {
            return null;
        }
        long[] out = new long[(int) count];
        int k = 0;
        for (int j = 0; j < count; j++) {
            if (!removed[j]) {
                out[k++] = j;
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static long[] keptFeatures(boolean[] removedCh, long features, long positions) {
        if (removedCh == null) {
            return null;
        }
        long[] out = new long[(int) features];
        int k = 0;
        for (long f = 0; f < features; f++) {
            if (!removedCh[(int) (f / positions)]) {
                out[k++] = f;
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static long[] removedIndices(boolean[] removed) {
        int n = 0;
        for (boolean b : removed) {
            n += b ? 1 : 0;
        }
        long[] out = new long[n];
        int k = 0;
        for (int j = 0; j < removed.length; j++) {
            if (removed[j]) {
                out[k++] = j;
            }
        }
        return out;
    }
}

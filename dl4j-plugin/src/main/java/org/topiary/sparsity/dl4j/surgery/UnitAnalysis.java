package org.topiary.sparsity.dl4j.surgery;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.dl4j.surgery.Topology.Kind;
import org.topiary.sparsity.dl4j.surgery.Topology.Node;

/**
 * Which channels of which node can go, and the constant each removed channel carries.
 *
 * <p><b>Constants.</b> A unit of a dense or convolution layer whose incoming weights are all
 * exactly zero outputs {@code act(b_j)} for every example (and every pixel). The constant is
 * carried forward through channel-wise nodes: batch normalization in inference mode and activation
 * layers (computed by the layer itself on a constant input), dropout (identity at inference),
 * max / average pooling without padding (identity; with padding only a zero constant survives),
 * merge vertices (concatenation) and element-wise vertices (the op applied to the inputs'
 * constants; a channel is constant only when it is constant in every input).
 *
 * <p><b>Removal.</b> Channel {@code j} of node {@code N} may be removed when it is constant, it is
 * not a network output, every consumer absorbs it exactly, and every coupled channel may be removed
 * as well (greatest fixed point). A dense consumer absorbs {@code c} into its bias, {@code b' = b +
 * c·W[j, :]} (through a CnnToFeedForward preprocessor: {@code b' = b + c·Σ_{p} W[j·H·W + p, :]},
 * DL4J flattens NCHW activations in 'c' order, channel-major). A convolution consumer absorbs
 * {@code b'_o = b_o + c·Σ_{kh,kw} W[o, j, kh, kw]} only when every output pixel sees the whole
 * kernel (zero padding, not {@code ConvolutionMode.Same}); otherwise only {@code c = 0} is exact.
 * Layers without a bias absorb only {@code c = 0}. Channel-wise consumers require the same channel
 * of their output to be removed; element-wise vertices couple the channel across all their inputs.
 */
final class UnitAnalysis {

    private final Topology topology;
    private final Map<String, Long> channels = new HashMap<>();
    private final Map<String, double[]> constants = new HashMap<>();
    private final Map<String, boolean[]> removable = new HashMap<>();
    private final Map<String, String[]> reasons = new HashMap<>();
    private final Map<String, boolean[]> dead = new HashMap<>();

    private UnitAnalysis(Topology topology) {
        this.topology = topology;
    }

    static UnitAnalysis of(Topology topology) {
        UnitAnalysis a = new UnitAnalysis(topology);
        a.propagateConstants();
        a.solve();
        return a;
    }

    Topology topology() {
        return topology;
    }

    /** Channels of the node's output, or -1 when unknown (network inputs). */
    long channels(String id) {
        return channels.get(id);
    }

    /** Constant per output channel (NaN: not constant), or null when no channel is constant. */
    double[] constants(String id) {
        return constants.get(id);
    }

    /** Removed output channels, or null when none. */
    boolean[] removed(String id) {
        return removable.get(id);
    }

    int removedCount(String id) {
        boolean[] r = removable.get(id);
        int n = 0;
        if (r != null) {
            for (boolean b : r) {
                n += b ? 1 : 0;
            }
        }
        return n;
    }

    /** Units with all-zero incoming weights (dense and convolution layers), or null. */
    boolean[] dead(String id) {
        return dead.get(id);
    }

    /** Why channel {@code j} of {@code id} stays, for dead units that stay. */
    String reason(String id, int j) {
        String[] r = reasons.get(id);
        if (r != null && r[j] != null) {
            return r[j];
        }
        Node n = topology.node(id);
        if (n.kind() == Kind.ELEMENTWISE) {
            List<String> live = new java.util.ArrayList<>();
            for (String in : n.inputs()) {
                double[] c = constants.get(in);
                if (c == null || Double.isNaN(c[j])) {
                    live.add(topology.node(in).describe());
                }
            }
            return "channel " + j + " of " + n.describe() + " is not constant: it is live in " + String.join(", ", live);
        }
        return "channel " + j + " of " + n.describe() + " is not constant";
    }

    // ------------------------------------------------------------------ constants

    private void propagateConstants() {
        for (Node n : topology.order()) {
            long ch = channelCount(n);
            channels.put(n.id(), ch);
            double[] c = constantsOf(n, ch);
            if (c != null) {
                boolean any = false;
                for (double v : c) {
                    any |= !Double.isNaN(v);
                }
                c = any ? c : null;
            }
            constants.put(n.id(), c);
        }
    }

    private long channelCount(Node n) {
        switch (n.kind()) {
            case INPUT:
                return -1;
            case DENSE:
            case OUTPUT:
            case CONV:
            case BATCHNORM:
                return ((FeedForwardLayer) n.conf()).getNOut();
            case MERGE: {
                long sum = 0;
                for (String in : n.inputs()) {
                    long c = channels.get(in);
                    if (c < 0) {
                        return -1;
                    }
                    sum += c;
                }
                return sum;
            }
            default:
                return channels.get(n.inputs().get(0));
        }
    }

    private double[] constantsOf(Node n, long ch) {
        if (ch < 0) {
            return null;
        }
        if (n.kind().channelWise() && n.pre() != null) {
            return null;
        }
        switch (n.kind()) {
            case DENSE:
            case CONV:
                return producerConstants(n, (int) ch);
            case BATCHNORM:
            case ACTIVATION:
                return throughLayer(n, constants.get(n.inputs().get(0)));
            case DROPOUT:
                return constants.get(n.inputs().get(0));
            case POOL: {
                SubsamplingLayer p = (SubsamplingLayer) n.conf();
                boolean identity = (p.getPoolingType() == PoolingType.MAX || p.getPoolingType() == PoolingType.AVG)
                        && allZero(p.getPadding())
                        && p.getConvolutionMode() != ConvolutionMode.Same;
                return identity ? constants.get(n.inputs().get(0)) : zerosOnly(constants.get(n.inputs().get(0)));
            }
            case GLOBAL_POOL: {
                PoolingType t = ((GlobalPoolingLayer) n.conf()).getPoolingType();
                double[] in = constants.get(n.inputs().get(0));
                return t == PoolingType.MAX || t == PoolingType.AVG ? in : zerosOnly(in);
            }
            case MERGE: {
                double[] out = new double[(int) ch];
                int off = 0;
                for (String in : n.inputs()) {
                    double[] c = constants.get(in);
                    int len = (int) (long) channels.get(in);
                    for (int j = 0; j < len; j++) {
                        out[off + j] = c == null ? Double.NaN : c[j];
                    }
                    off += len;
                }
                return out;
            }
            case ELEMENTWISE:
                return elementWise(n, (int) ch);
            default:
                return null;
        }
    }

    private double[] producerConstants(Node n, int units) {
        IActivation act = ((org.deeplearning4j.nn.conf.layers.BaseLayer) n.conf()).getActivationFn();
        if (act instanceof ActivationSoftmax || act == null) {
            return null; // not element-wise: a dead unit's output depends on the others
        }
        if (n.conf() instanceof DenseLayer d && d.hasLayerNorm()) {
            return null;
        }
        INDArray w = n.impl().getParam("W");
        INDArray absMax = n.kind() == Kind.DENSE ? w.amax(0) : w.reshape('c', w.size(0), -1).amax(1);
        double[] maxima = absMax.castTo(DataType.DOUBLE).data().asDouble();
        boolean[] isDead = new boolean[units];
        boolean[] isUnused = unused(n, units);
        boolean any = false;
        for (int j = 0; j < units; j++) {
            isDead[j] = maxima[j] == 0.0;
            any |= isDead[j] || isUnused[j];
        }
        if (!any) {
            return null;
        }
        dead.put(n.id(), isDead);
        INDArray b = n.impl().paramTable().containsKey("b")
                ? n.impl().getParam("b").dup().reshape(1, units)
                : Nd4j.zeros(w.dataType(), 1, units);
        double[] activated = act.getActivation(b, false).castTo(DataType.DOUBLE).data().asDouble();
        double[] out = new double[units];
        for (int j = 0; j < units; j++) {
            // an unused unit's value is never read: it behaves like the constant 0
            out[j] = isDead[j] ? activated[j] : isUnused[j] ? 0.0 : Double.NaN;
        }
        return out;
    }

    /**
     * Units whose outgoing weights are all zero in every consumer, when every consumer is a dense,
     * output or convolution layer reading them directly (or through the NCHW flattening).
     */
    private boolean[] unused(Node n, int units) {
        boolean[] out = new boolean[units];
        List<String> cons = topology.consumers(n.id());
        if (cons.isEmpty() || topology.isOutput(n.id())) {
            return out;
        }
        java.util.Arrays.fill(out, true);
        for (String cid : cons) {
            Node c = topology.node(cid);
            if (!c.kind().absorbs() || (c.pre() != null && !(c.kind() != Kind.CONV && isNchwFlatten(c.pre())))) {
                return new boolean[units];
            }
            INDArray w = c.impl().getParam("W");
            double[] rowMax;
            if (c.kind() == Kind.CONV) {
                rowMax = Shrinker.select(w, 1, allIndices(w.size(1))).reshape('c', w.size(1), -1).amax(1)
                        .castTo(DataType.DOUBLE).data().asDouble();
            } else {
                long positions = w.rows() / units;
                rowMax = w.reshape('c', units, positions * w.columns()).amax(1).castTo(DataType.DOUBLE).data().asDouble();
            }
            for (int j = 0; j < units; j++) {
                out[j] &= rowMax[j] == 0.0;
            }
        }
        return out;
    }

    private static long[] allIndices(long n) {
        long[] idx = new long[(int) n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** Runs the layer (inference mode) on a {@code [1, C]} input holding the constants. */
    private static double[] throughLayer(Node n, double[] in) {
        if (in == null) {
            return null;
        }
        if (n.conf() instanceof ActivationLayer a && (a.getActivationFn() instanceof ActivationSoftmax)) {
            return null;
        }
        double[] filled = new double[in.length];
        for (int j = 0; j < in.length; j++) {
            filled[j] = Double.isNaN(in[j]) ? 0.0 : in[j];
        }
        DataType dt = n.impl().params() != null && n.impl().numParams() > 0 ? n.impl().params().dataType() : DataType.FLOAT;
        INDArray x = Nd4j.createFromArray(filled).castTo(dt).reshape(1, in.length);
        INDArray y = n.impl().activate(x, false, LayerWorkspaceMgr.noWorkspaces());
        double[] outs = y.castTo(DataType.DOUBLE).data().asDouble();
        n.impl().clear();
        double[] out = new double[in.length];
        for (int j = 0; j < in.length; j++) {
            out[j] = Double.isNaN(in[j]) ? Double.NaN : outs[j];
        }
        return out;
    }

    private double[] elementWise(Node n, int ch) {
        double[] out = new double[ch];
        for (int j = 0; j < ch; j++) {
            double[] vals = new double[n.inputs().size()];
            boolean known = true;
            for (int k = 0; k < vals.length && known; k++) {
                double[] c = constants.get(n.inputs().get(k));
                known = c != null && !Double.isNaN(c[j]);
                vals[k] = known ? c[j] : Double.NaN;
            }
            out[j] = known ? apply(n, vals) : Double.NaN;
        }
        return out;
    }

    private static double apply(Node n, double[] v) {
        switch (n.op()) {
            case Add:
                return Arrays.stream(v).sum();
            case Average:
                return Arrays.stream(v).average().orElse(Double.NaN);
            case Subtract:
                return v[0] - v[1];
            case Product: {
                double p = 1;
                for (double x : v) {
                    p *= x;
                }
                return p;
            }
            case Max:
                return Arrays.stream(v).max().orElse(Double.NaN);
            default:
                return Double.NaN;
        }
    }

    private static double[] zerosOnly(double[] in) {
        if (in == null) {
            return null;
        }
        double[] out = new double[in.length];
        for (int j = 0; j < in.length; j++) {
            out[j] = in[j] == 0.0 ? 0.0 : Double.NaN;
        }
        return out;
    }

    private static boolean allZero(int[] a) {
        if (a != null) {
            for (int v : a) {
                if (v != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ removal (greatest fixed point)

    private void solve() {
        for (Node n : topology.order()) {
            double[] c = constants.get(n.id());
            if (c == null) {
                continue;
            }
            boolean[] r = new boolean[c.length];
            String[] why = new String[c.length];
            for (int j = 0; j < c.length; j++) {
                r[j] = !Double.isNaN(c[j]);
            }
            removable.put(n.id(), r);
            reasons.put(n.id(), why);
            if (topology.isOutput(n.id())) {
                for (int j = 0; j < c.length; j++) {
                    reject(n.id(), j, n.describe() + " is a network output");
                }
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Node n : topology.order()) {
                boolean[] r = removable.get(n.id());
                if (r == null) {
                    continue;
                }
                for (int j = 0; j < r.length; j++) {
                    if (r[j]) {
                        String why = violation(n, j);
                        if (why != null) {
                            reject(n.id(), j, why);
                            changed = true;
                        }
                    }
                }
            }
        }
        removable.replaceAll((id, r) -> any(r) ? r : null);
        removable.values().removeIf(java.util.Objects::isNull);
    }

    private static boolean any(boolean[] r) {
        for (boolean b : r) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    private void reject(String id, int j, String why) {
        removable.get(id)[j] = false;
        String[] r = reasons.get(id);
        if (r[j] == null) {
            r[j] = why;
        }
    }

    private boolean isRemovable(String id, int j) {
        boolean[] r = removable.get(id);
        return r != null && r[j];
    }

    /** Why channel j of n cannot go now, or null when every constraint holds. */
    private String violation(Node n, int j) {
        double c = constants.get(n.id())[j];
        // backward: coupled input channels
        if (n.kind().channelWise()) {
            for (String in : n.inputs()) {
                if (!isRemovable(in, j)) {
                    return "coupled with channel " + j + " of " + topology.node(in).describe() + ", which stays: " + reason(in, j);
                }
            }
        } else if (n.kind() == Kind.MERGE) {
            int off = 0;
            for (String in : n.inputs()) {
                int len = (int) (long) channels.get(in);
                if (j >= off && j < off + len && !isRemovable(in, j - off)) {
                    return "merged from channel " + (j - off) + " of " + topology.node(in).describe() + ", which stays: "
                            + reason(in, j - off);
                }
                off += len;
            }
        }
        // forward: consumers
        for (String cid : topology.consumers(n.id())) {
            Node con = topology.node(cid);
            if (con.kind().absorbs()) {
                String why = absorbs(con, c);
                if (why != null) {
                    return why;
                }
            } else if (con.kind().channelWise()) {
                if (!isRemovable(cid, j)) {
                    return "feeds channel " + j + " of " + con.describe() + ", which stays: " + reason(cid, j);
                }
            } else if (con.kind() == Kind.MERGE) {
                int off = 0;
                for (String in : con.inputs()) {
                    int len = (int) (long) channels.get(in);
                    if (in.equals(n.id()) && !isRemovable(cid, off + j)) {
                        return "feeds channel " + (off + j) + " of " + con.describe() + ", which stays: " + reason(cid, off + j);
                    }
                    off += len;
                }
            }
        }
        return null;
    }

    /** Null when consumer {@code con} absorbs an input channel holding constant {@code c} exactly. */
    private static String absorbs(Node con, double c) {
        InputPreProcessor pre = con.pre();
        if (pre != null && !(con.kind() != Kind.CONV && isNchwFlatten(pre))) {
            return "feeds " + con.describe() + " through " + pre.getClass().getSimpleName()
                    + ", which the surgery does not map channels through";
        }
        if (c == 0.0) {
            return null;
        }
        if (con.kind() == Kind.CONV) {
            ConvolutionLayer conv = (ConvolutionLayer) con.conf();
            if (!conv.hasBias()) {
                return String.format(Locale.ROOT, "outputs the constant %.4g but consumer %s has no bias to fold it into", c, con.describe());
            }
            if (!allZero(conv.getPadding()) || conv.getConvolutionMode() == ConvolutionMode.Same) {
                return String.format(Locale.ROOT, "outputs the constant %.4g and consumer %s pads with zeros"
                        + " (padding %s, mode %s), so the constant cannot be folded into its bias exactly",
                        c, con.describe(), Arrays.toString(conv.getPadding()), conv.getConvolutionMode());
            }
            return null;
        }
        boolean bias = con.conf() instanceof DenseLayer d ? d.hasBias() : ((BaseOutputLayer) con.conf()).hasBias();
        return bias ? null
                : String.format(Locale.ROOT, "outputs the constant %.4g but consumer %s has no bias to fold it into", c, con.describe());
    }

    static boolean isNchwFlatten(InputPreProcessor pre) {
        return pre instanceof CnnToFeedForwardPreProcessor p && p.getFormat() != CNN2DFormat.NHWC;
    }
}

package org.topiary.sparsity.dl4j;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.topiary.sparsity.structure.MatrixView;

/**
 * How DL4J 1.0.0-M2.1 layers split into structural units (for {@code SparsityPattern.groups}) and
 * how their weights read as {@code [outputs, inputs]} matrices (for N:M and blocks). Shapes are
 * those of {@code paramTable()}; elements are read in C order whatever the memory order.
 *
 * <table>
 *   <caption>Units (one group per index of the axis)</caption>
 *   <tr><th>layer</th><th>unit</th><th>param: grouped shape, axis</th></tr>
 *   <tr><td>DenseLayer, any BaseOutputLayer</td><td>output neuron j</td><td>W [nIn, nOut]: 1; b [nOut]: 0</td></tr>
 *   <tr><td>ConvolutionLayer, Convolution1DLayer, Convolution3D</td><td>filter o</td><td>W [nOut, nIn, k…]: 0; b [nOut]: 0</td></tr>
 *   <tr><td>Deconvolution2D</td><td>filter o</td><td>W [nIn, nOut, kH, kW]: 1; b: 0</td></tr>
 *   <tr><td>Deconvolution3D</td><td>filter o</td><td>W [kD, kH, kW, nOut, nIn]: 3; b: 0</td></tr>
 *   <tr><td>LSTM</td><td>unit j (its four gate columns, IFOG)</td><td>W [nIn, 4, nOut]: 2; RW [nOut, 4, nOut]: 2; b [4, nOut]: 1</td></tr>
 *   <tr><td>SelfAttentionLayer, LearnedSelfAttentionLayer</td><td>head h</td><td>Wq, Wk, Wv [nHeads, headSize, nIn]: 0; Wo [nHeads, headSize, nOut]: 0</td></tr>
 * </table>
 *
 * <p>Matrices ({@code [outputs, inputs]}): DenseLayer and output layers read {@code W [nIn, nOut]}
 * transposed; ConvolutionLayer, Convolution1DLayer and Convolution3D read {@code W [nOut, …]} with
 * input dimension {@code nIn·k…} (C order: input channel, then kernel positions).
 *
 * <p>GravesLSTM is not supported (its peephole weights sit in the rows of RW, not in a unit's
 * columns); neither are depth-wise or separable convolutions and embeddings.
 */
public final class StructureLayouts {
    /** Layer types that have units. */
    public static final List<String> GROUP_TYPES = List.of(
            "DenseLayer", "OutputLayer (any BaseOutputLayer)", "ConvolutionLayer", "Convolution1DLayer",
            "Convolution3D", "Deconvolution2D", "Deconvolution3D", "LSTM", "SelfAttentionLayer",
            "LearnedSelfAttentionLayer");

    /** Layer types whose weights N:M and block patterns accept. */
    public static final List<String> MATRIX_TYPES = List.of(
            "DenseLayer", "OutputLayer (any BaseOutputLayer)", "ConvolutionLayer", "Convolution1DLayer", "Convolution3D");

    private StructureLayouts() {}

    /**
     * How a param splits into units.
     *
     * @param groupedShape the param's elements (C order) with the unit axis explicit
     * @param axis the unit axis of {@code groupedShape}
     * @param weight whether the param is a weight (scored when selected) rather than a bias
     */
    public record Grouping(long[] groupedShape, int axis, boolean weight) {}

    /** Whether layers of this configuration have units. */
    public static boolean hasUnits(Layer conf) {
        return unitCount(conf).isPresent();
    }

    /** Number of units of the layer, empty when the type has none. */
    public static Optional<Integer> unitCount(Layer conf) {
        Class<?> c = conf.getClass();
        if (c == Deconvolution2D.class || c == Deconvolution3D.class || c == ConvolutionLayer.class
                || c == Convolution1DLayer.class || c == Convolution3D.class || c == DenseLayer.class
                || conf instanceof BaseOutputLayer) {
            return Optional.of(Math.toIntExact(((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) conf).getNOut()));
        }
        if (c == LSTM.class) {
            return Optional.of(Math.toIntExact(((LSTM) conf).getNOut()));
        }
        if (c == SelfAttentionLayer.class) {
            return Optional.of(((SelfAttentionLayer) conf).getNHeads());
        }
        if (c == LearnedSelfAttentionLayer.class) {
            return Optional.of(((LearnedSelfAttentionLayer) conf).getNHeads());
        }
        return Optional.empty();
    }

    /** How param {@code key} (of {@code shape}) splits into units, or empty if it is not per unit. */
    public static Optional<Grouping> grouping(Layer conf, String key, long[] shape) {
        Optional<Integer> units = unitCount(conf);
        if (units.isEmpty()) {
            return Optional.empty();
        }
        long n = units.get();
        Class<?> c = conf.getClass();
        if (key.equals("b")) {
            if (c == LSTM.class) {
                return Optional.of(new Grouping(new long[] {4, n}, 1, false));
            }
            return Optional.of(new Grouping(new long[] {n}, 0, false));
        }
        if (c == LSTM.class && (key.equals("W") || key.equals("RW"))) {
            return Optional.of(new Grouping(new long[] {shape[0], 4, n}, 2, true));
        }
        if (c == SelfAttentionLayer.class || c == LearnedSelfAttentionLayer.class) {
            return switch (key) {
                case "Wq", "Wk", "Wv" -> Optional.of(new Grouping(shape, 0, true));
                case "Wo" -> Optional.of(new Grouping(new long[] {n, shape[0] / n, shape[1]}, 0, true));
                default -> Optional.empty();
            };
        }
        if (!key.equals("W")) {
            return Optional.empty();
        }
        if (c == DenseLayer.class || conf instanceof BaseOutputLayer || c == Deconvolution2D.class) {
            return Optional.of(new Grouping(shape, 1, true));
        }
        if (c == Deconvolution3D.class) {
            return Optional.of(new Grouping(shape, 3, true));
        }
        return Optional.of(new Grouping(shape, 0, true));
    }

    /**
     * The {@code [outputs, inputs]} view of weight param {@code key} for N:M and blocks.
     *
     * @throws IllegalArgumentException naming the layer and listing the supported types when the
     *     layer type or param has no matrix view
     */
    public static MatrixView matrixView(Layer conf, String layerDescription, String paramId, String key, long[] shape) {
        Class<?> c = conf.getClass();
        if (key.equals("W")) {
            if (c == DenseLayer.class || conf instanceof BaseOutputLayer) {
                return MatrixView.inputsByOutputs(paramId, shape);
            }
            if (c == ConvolutionLayer.class || c == Convolution1DLayer.class || c == Convolution3D.class) {
                return MatrixView.outputsByInputs(paramId, shape);
            }
        }
        throw new IllegalArgumentException(
                layerDescription + " param '" + key + "' " + Arrays.toString(shape)
                        + " has no [outputs, inputs] layout for N:M or block sparsity; supported layer types: "
                        + MATRIX_TYPES + " (param W). Leave this layer out with optExclude or optLayerTypes.");
    }

    /** The error for a structured pattern on a layer without units. */
    static IllegalArgumentException noUnits(String layerDescription) {
        return new IllegalArgumentException(
                layerDescription + " has no group layout for structured pruning; supported layer types: "
                        + GROUP_TYPES + ". Leave this layer out with optExclude or optLayerTypes.");
    }
}

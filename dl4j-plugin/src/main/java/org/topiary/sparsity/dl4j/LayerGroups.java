package org.topiary.sparsity.dl4j;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.regularize.ParamGroups;

/**
 * The structured groups of a DL4J layer's weight param {@code W}, read from the layer's
 * configuration: one group per output neuron of a {@code DenseLayer} / {@code OutputLayer}
 * (column {@code j} of {@code W [nIn, nOut]}, flattened in 'f' order) and one group per filter of
 * a 2-D {@code ConvolutionLayer} (slice {@code j} of {@code W [nOut, nIn, kH, kW]}, 'c' order).
 *
 * <p>The layer must know its {@code nIn}: set it in the builder, or let {@code
 * setInputType(...)} infer it and read the layer from the built configuration ({@code
 * conf.getConf(i).getLayer()}).
 */
public final class LayerGroups {
    /** The layer configuration classes whose groups this class knows. */
    public static final List<String> SUPPORTED =
            List.of("DenseLayer", "OutputLayer", "ConvolutionLayer", "Convolution2D");

    private LayerGroups() {}

    /** The output-neuron (dense) or filter (convolution) groups of {@code layer}'s {@code W}. */
    public static ParamGroups outputUnits(Layer layer) {
        Checks.notNull("layer", layer);
        String name = describe(layer);
        Class<?> c = layer.getClass();
        if (c == DenseLayer.class || c == OutputLayer.class) {
            org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff =
                    (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
            requireSizes(name, ff.getNIn(), ff.getNOut());
            return ParamGroups.outputNeurons(ff.getNIn(), ff.getNOut());
        }
        if (c == ConvolutionLayer.class || c == Convolution2D.class) {
            ConvolutionLayer conv = (ConvolutionLayer) layer;
            requireSizes(name, conv.getNIn(), conv.getNOut());
            int[] k = conv.getKernelSize();
            Checks.isTrue(k != null && k.length == 2, "%s has kernelSize %s; a 2-D kernel is expected", name,
                    java.util.Arrays.toString(k));
            return ParamGroups.filters(conv.getNOut(), conv.getNIn(), k[0], k[1]);
        }
        throw new IllegalArgumentException(
                name + " has no known group layout; supported layer types: " + SUPPORTED
                        + ". For other layers give the layout yourself with ParamGroups.of(shape, order, groupAxis).");
    }

    private static void requireSizes(String name, long nIn, long nOut) {
        Checks.isTrue(
                nIn > 0 && nOut > 0,
                "%s has nIn=%d, nOut=%d; both must be > 0. Set them in the layer builder, or build the"
                        + " configuration first (setInputType infers nIn during build()) and take the layer from"
                        + " conf.getConf(i).getLayer().",
                name,
                nIn,
                nOut);
    }

    private static String describe(Layer layer) {
        String n = layer.getLayerName();
        return "layer " + (n == null ? "" : "'" + n + "' ") + "(" + layer.getClass().getSimpleName() + ")";
    }
}

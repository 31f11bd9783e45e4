package org.topiary.sparsity.dl4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.topiary.sparsity.internal.Checks;

/**
 * Which parameters of which DL4J layer types may be pruned: a registry from layer configuration
 * class to param keys. Lookup walks up the class hierarchy, so a subclass of a registered layer
 * inherits its keys unless registered itself. Only weights are ever registered: biases, layer-norm
 * gains and BatchNormalization parameters are never pruned.
 *
 * <p>Defaults:
 *
 * <table>
 *   <caption>Prunable param keys by layer</caption>
 *   <tr><th>layer</th><th>keys</th></tr>
 *   <tr><td>DenseLayer, OutputLayer, RnnOutputLayer, CenterLossOutputLayer (any BaseOutputLayer)</td><td>W</td></tr>
 *   <tr><td>ConvolutionLayer, Convolution1DLayer, Deconvolution2D, Convolution3D, Deconvolution3D, DepthwiseConvolution2D</td><td>W</td></tr>
 *   <tr><td>SeparableConvolution2D</td><td>W (depth-wise), pW (point-wise)</td></tr>
 *   <tr><td>LSTM, GravesLSTM</td><td>W (input), RW (recurrent)</td></tr>
 *   <tr><td>EmbeddingLayer, EmbeddingSequenceLayer</td><td>W</td></tr>
 *   <tr><td>SelfAttentionLayer, LearnedSelfAttentionLayer</td><td>Wq, Wk, Wv, Wo</td></tr>
 * </table>
 *
 * <p>Add a custom layer with {@code PrunableParams.defaults().with(MyLayer.class, "W")}.
 */
public final class PrunableParams {
    private final Map<Class<? extends Layer>, List<String>> keys;

    private PrunableParams(Map<Class<? extends Layer>, List<String>> keys) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    private static final PrunableParams DEFAULTS = buildDefaults();

    private static PrunableParams buildDefaults() {
        Map<Class<? extends Layer>, List<String>> m = new LinkedHashMap<>();
        m.put(DenseLayer.class, List.of("W"));
        m.put(BaseOutputLayer.class, List.of("W"));
        m.put(ConvolutionLayer.class, List.of("W"));
        m.put(Convolution3D.class, List.of("W"));
        m.put(Deconvolution3D.class, List.of("W"));
        m.put(DepthwiseConvolution2D.class, List.of("W"));
        m.put(SeparableConvolution2D.class, List.of("W", "pW"));
        m.put(LSTM.class, List.of("W", "RW"));
        m.put(GravesLSTM.class, List.of("W", "RW"));
        m.put(EmbeddingLayer.class, List.of("W"));
        m.put(EmbeddingSequenceLayer.class, List.of("W"));
        m.put(SelfAttentionLayer.class, List.of("Wq", "Wk", "Wv", "Wo"));
        m.put(LearnedSelfAttentionLayer.class, List.of("Wq", "Wk", "Wv", "Wo"));
        return new PrunableParams(m);
    }

    /** The built-in registry (see the class comment). */
    public static PrunableParams defaults() {
        return DEFAULTS;
    }

    /** An empty registry. */
    public static PrunableParams none() {
        return new PrunableParams(Map.of());
    }

    /** A copy of this registry in which {@code layerType} prunes exactly {@code paramKeys}. */
    public PrunableParams with(Class<? extends Layer> layerType, String... paramKeys) {
        Checks.notNull("layerType", layerType);
        Checks.isTrue(paramKeys.length > 0, "paramKeys of %s must not be empty", layerType.getSimpleName());
        for (String k : paramKeys) {
            Checks.isTrue(
                    k != null && !k.isEmpty() && !k.contains("_"),
                    "param key '%s' of %s is invalid: keys are non-empty and contain no '_'",
                    k,
                    layerType.getSimpleName());
        }
        Map<Class<? extends Layer>, List<String>> m = new LinkedHashMap<>(keys);
        m.put(layerType, List.of(paramKeys));
        return new PrunableParams(m);
    }

    /**
     * The registered keys for a layer configuration (nearest registered class in its hierarchy),
     * or an empty list.
     */
    public List<String> keysFor(Layer layerConf) {
        for (Class<?> c = layerConf.getClass(); c != null && Layer.class.isAssignableFrom(c); c = c.getSuperclass()) {
            List<String> k = keys.get(c);
            if (k != null) {
                return k;
            }
        }
        return List.of();
    }
}

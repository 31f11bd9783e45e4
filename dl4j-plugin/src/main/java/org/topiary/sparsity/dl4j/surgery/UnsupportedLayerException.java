package org.topiary.sparsity.dl4j.surgery;

import java.util.List;

/**
 * A model holds a layer, vertex or preprocessor that the surgery does not know, so it cannot
 * prove that removing units keeps the outputs; the message names it and lists what is supported.
 */
public final class UnsupportedLayerException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Layer configuration classes the surgery reads (exact classes, not subclasses). */
    public static final List<String> SUPPORTED_LAYERS =
            List.of(
                    "DenseLayer",
                    "OutputLayer",
                    "ConvolutionLayer (2-D, NCHW)",
                    "BatchNormalization",
                    "ActivationLayer",
                    "DropoutLayer",
                    "SubsamplingLayer (2-D, NCHW)",
                    "GlobalPoolingLayer");

    /** Graph vertices the surgery reads. */
    public static final List<String> SUPPORTED_VERTICES = List.of("LayerVertex", "MergeVertex", "ElementWiseVertex");

    /**
     * Input preprocessors that units can be removed through; any other preprocessor is allowed but
     * keeps every unit that feeds it.
     */
    public static final List<String> SUPPORTED_PREPROCESSORS = List.of("CnnToFeedForwardPreProcessor (NCHW)");

    private final String layer;

    UnsupportedLayerException(String layer, String what) {
        super(
                "layer '" + layer + "' (" + what + ") is not supported by the model surgery. Supported layers: "
                        + SUPPORTED_LAYERS + "; vertices: " + SUPPORTED_VERTICES + "; preprocessors: "
                        + SUPPORTED_PREPROCESSORS
                        + ". Shrink a model built from these, or remove the units of other layers yourself.");
        this.layer = layer;
    }

    /** The name (ComputationGraph) or index (MultiLayerNetwork) of the offending layer. */
    public String layer() {
        return layer;
    }
}

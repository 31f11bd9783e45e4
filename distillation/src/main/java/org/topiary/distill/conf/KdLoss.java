package org.topiary.distill.conf;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.topiary.sparsity.internal.Checks;

/**
 * Hinton knowledge-distillation loss as a DL4J {@link ILossFunction}, for the output layer of any
 * MultiLayerNetwork or ComputationGraph.
 *
 * <p><b>Formula</b> (Hinton, Vinyals &amp; Dean 2015, "Distilling the Knowledge in a Neural
 * Network", arXiv:1503.02531), per example, with student logits {@code z_s}, teacher logits {@code
 * z_t}, hard labels {@code y}, temperature {@code T} and weight {@code α}:
 *
 * <pre>
 * L = α · CE(y, softmax(z_s)) + (1 − α) · T² · KL(softmax(z_t / T) ‖ softmax(z_s / T))
 *
 * CE(y, p)  = − Σ_c y_c · log p_c
 * KL(q ‖ r) =   Σ_c q_c · (log q_c − log r_c)
 * dL/dz_s   = α · (softmax(z_s) · Σ_c y_c − y) + (1 − α) · T · (softmax(z_s / T) − softmax(z_t / T))
 * </pre>
 *
 * The {@code T²} factor is always applied (so that the soft-target gradient keeps the same
 * magnitude as {@code T} changes), in every branch: there is no special case for {@code α = 0},
 * {@code α = 1} or {@code T = 1}. Temperature applies to both softmaxes of the KL term only; the
 * hard-label term uses {@code T = 1}.
 *
 * <p><b>Shapes and conventions.</b>
 *
 * <ul>
 *   <li>The output layer has {@code C} units and the <b>IDENTITY</b> activation: its output is the
 *       student's logits {@code z_s}, shape {@code [batch, C]}. (The loss applies whatever
 *       activation the layer has and treats the result as logits; softmax is rejected because
 *       probabilities are not logits.)
 *   <li>Labels are {@code [batch, 2C]}: columns {@code 0..C-1} hold the hard labels {@code y}
 *       (one-hot, or any non-negative rows, e.g. label smoothing), columns {@code C..2C-1} hold
 *       the teacher's logits {@code z_t}. Teacher logits may be shifted by any per-example
 *       constant (e.g. log-probabilities): the loss is invariant to it.
 *   <li>Masks, if any, are per example: {@code [batch, 1]} (as DL4J passes them for {@code
 *       OutputLayer}, and for {@code RnnOutputLayer} after flattening time steps).
 * </ul>
 *
 * <p><b>Reduction</b> (the DL4J contract): {@link #computeScore} with {@code average = false}
 * returns the <i>sum</i> of {@code L} over the examples and the output layer divides by the
 * minibatch size, so the reported score is the batch mean; {@link #computeGradient} returns
 * {@code dL/d(preOutput)} per example, not divided by the batch size (the updater divides).
 *
 * <p><b>Validation.</b> {@code T > 0} (finite) and {@code α ∈ [0, 1]} when constructed; at each
 * call, label width {@code == 2 ×} output width, with a message naming the layer (when set with
 * {@link #withLayerName}) and both shapes.
 *
 * <p><b>Evaluation.</b> DL4J's {@code Evaluation} and {@code net.evaluate} cannot be used on the
 * KD form (wide labels, identity activation); use {@code org.topiary.distill.HardLabelEvaluation},
 * or the softmax head that {@code DistillationTrainer} restores after training.
 *
 * <p>JSON, as stored inside a DL4J configuration (the class name is part of the format; this
 * class is never renamed or moved):
 *
 * <pre>{@code
 * "lossFn" : { "@class" : "org.topiary.distill.conf.KdLoss",
 *              "alpha" : 0.5, "layerName" : "out", "temperature" : 4.0 }
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class KdLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    private final double temperature;
    private final double alpha;
    private final String layerName;

    /**
     * The constructor DL4J's JSON uses; prefer {@link #of(double, double)}.
     *
     * @param temperature {@code T > 0}
     * @param alpha weight of the hard-label term, in {@code [0, 1]}
     * @param layerName the output layer's name for error messages, or null
     */
    @JsonCreator
    public KdLoss(
            @JsonProperty("temperature") double temperature,
            @JsonProperty("alpha") double alpha,
            @JsonProperty("layerName") String layerName) {
        this.temperature = Checks.positive("temperature", temperature);
        this.alpha = Checks.inClosedRange("alpha", alpha, 0.0, 1.0);
        this.layerName = layerName;
    }

    /**
     * The loss {@code α·CE + (1 − α)·T²·KL}.
     *
     * @param temperature {@code T > 0}; 1 is plain softmax, Hinton et al. use 2 to 20
     * @param alpha weight of the hard-label cross-entropy in {@code [0, 1]}; 0 = soft targets
     *     only, 1 = no distillation
     */
    public static KdLoss of(double temperature, double alpha) {
        return new KdLoss(temperature, alpha, null);
    }

    /** A copy that names {@code layerName} in its error messages. */
    public KdLoss withLayerName(String layerName) {
        return new KdLoss(temperature, alpha, layerName);
    }

    /** The temperature {@code T}. */
    public double temperature() {
        return temperature;
    }

    /** The weight {@code α} of the hard-label term. */
    public double alpha() {
        return alpha;
    }

    /** The layer named in error messages, or null. */
    public String layerName() {
        return layerName;
    }

    /** The per-example loss {@code [batch, 1]} and the gradient {@code [batch, C]}. */
    private record Terms(INDArray score, INDArray dLdz) {}

    /**
     * Score and gradient per example. The arithmetic runs in double precision on Java arrays, one
     * example at a time: for the small {@code C} of classifiers this replaces some forty native
     * array operations per call (whose fixed cost dominated the loss) by two copies.
     */
    private Terms terms(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean withGradient) {
        if (activationFn instanceof ActivationSoftmax) {
            throw new IllegalArgumentException(
                    where()
                            + "uses KdLoss with the softmax activation, but KdLoss expects logits: build the output"
                            + " layer with .activation(Activation.IDENTITY)");
        }
        boolean identity = activationFn instanceof ActivationIdentity;
        INDArray z = identity ? preOutput : activationFn.getActivation(preOutput.dup(), true);
        if (z.rank() != 2 || labels.rank() != 2 || labels.size(0) != z.size(0) || labels.size(1) != 2 * z.size(1)) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%slabels have shape %s but the output has shape %s: KdLoss needs labels"
                                    + " [batch, 2C] = [hard labels | teacher logits] for an output [batch, C],"
                                    + " i.e. [%d, %d]. Append the teacher's logits to the labels"
                                    + " (KdDataSetIterator does) and check that teacher and student have"
                                    + " the same number of classes.",
                            where(),
                            Arrays.toString(labels.shape()),
                            Arrays.toString(preOutput.shape()),
                            z.rank() == 2 ? z.size(0) : -1,
                            z.rank() == 2 ? 2 * z.size(1) : -1));
        }
        int b = (int) z.size(0);
        int c = (int) z.size(1);
        double[][] zs = z.toDoubleMatrix();
        double[][] lab = labels.toDoubleMatrix();
        double[] m = mask == null ? null : perExampleMask(mask, z).reshape(b).toDoubleVector();
        double[] score = new double[b];
        double[] grad = withGradient ? new double[b * c] : null;
        double[] logP = new double[c];
        double[] logQs = new double[c];
        double[] logQt = new double[c];
        double t = temperature;
        double softWeight = (1 - alpha) * t * t;
        for (int i = 0; i < b; i++) {
            double[] zi = zs[i];
            double[] li = lab[i];
            logSoftmax(zi, 0, c, 1.0, logP);
            logSoftmax(zi, 0, c, t, logQs);
            logSoftmax(li, c, c, t, logQt);
            double ce = 0;
            double sumY = 0;
            double kl = 0;
            for (int k = 0; k < c; k++) {
                double y = li[k];
                ce -= y * logP[k];
                sumY += y;
                double q = Math.exp(logQt[k]);
                kl += q * (logQt[k] - logQs[k]);
            }
            double mi = m == null ? 1.0 : m[i];
            score[i] = (alpha * ce + softWeight * kl) * mi;
            if (grad != null) {
                for (int k = 0; k < c; k++) {
                    double hard = Math.exp(logP[k]) * sumY - li[k];
                    double soft = Math.exp(logQs[k]) - Math.exp(logQt[k]);
                    grad[i * c + k] = (alpha * hard + (1 - alpha) * t * soft) * mi;
                }
            }
        }
        INDArray scoreArray = array(score, new long[] {b, 1}, z.dataType());
        INDArray dLdz = null;
        if (grad != null) {
            dLdz = array(grad, new long[] {b, c}, z.dataType());
            if (!identity) {
                dLdz = activationFn.backprop(preOutput.dup(), dLdz).getFirst();
            }
        }
        return new Terms(scoreArray, dLdz);
    }

    private static INDArray array(double[] values, long[] shape, DataType type) {
        if (type == DataType.DOUBLE) {
            return Nd4j.create(values, shape, DataType.DOUBLE);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        INDArray a = Nd4j.create(f, shape, DataType.FLOAT);
        return type == DataType.FLOAT ? a : a.castTo(type);
    }

    private INDArray perExampleMask(INDArray mask, INDArray z) {
        if (mask.rank() == 2 && mask.size(0) == z.size(0) && mask.size(1) == 1) {
            return mask;
        }
        if (mask.rank() == 1 && mask.length() == z.size(0)) {
            return mask.reshape(z.size(0), 1);
        }
        throw new IllegalArgumentException(
                where()
                        + "mask has shape "
                        + Arrays.toString(mask.shape())
                        + " but KdLoss supports per-example masks only, shape ["
                        + z.size(0)
                        + ", 1]");
    }

    /**
     * {@code out = log softmax(x[from .. from+n) / t)}, stabilized by subtracting the maximum (so
     * logits such as {@code [1000, 0]} give finite values; libnd4j's {@code log_softmax} op gives
     * {@code -inf} there, which turns the loss into NaN).
     */
    private static void logSoftmax(double[] x, int from, int n, double t, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, x[from + k] / t);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            out[k] = x[from + k] / t - max;
            sum += Math.exp(out[k]);
        }
        double log = Math.log(sum);
        for (int k = 0; k < n; k++) {
            out[k] -= log;
        }
    }

    private String where() {
        return layerName == null ? "KdLoss: " : "Layer '" + layerName + "' (KdLoss): ";
    }

    /** {@inheritDoc} Sum over examples, or the mean when {@code average}. */
    @Override
    public double computeScore(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        INDArray score = terms(labels, preOutput, activationFn, mask, false).score();
        double sum = score.sumNumber().doubleValue();
        return average ? sum / score.size(0) : sum;
    }

    /** {@inheritDoc} Shape {@code [batch, 1]}. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return terms(labels, preOutput, activationFn, mask, false).score();
    }

    /** {@inheritDoc} {@code dL/d(preOutput)}, shape {@code [batch, C]}, not divided by the batch. */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return terms(labels, preOutput, activationFn, mask, true).dLdz();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(
            INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        Terms t = terms(labels, preOutput, activationFn, mask, true);
        double sum = t.score().sumNumber().doubleValue();
        return new Pair<>(average ? sum / t.score().size(0) : sum, t.dLdz());
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KdLoss k
                && Double.compare(temperature, k.temperature) == 0
                && Double.compare(alpha, k.alpha) == 0
                && Objects.equals(layerName, k.layerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(temperature, alpha, layerName);
    }

    @Override
    public String toString() {
        return "KdLoss(T=" + temperature + ", alpha=" + alpha + (layerName == null ? "" : ", layer=" + layerName) + ")";
    }
}

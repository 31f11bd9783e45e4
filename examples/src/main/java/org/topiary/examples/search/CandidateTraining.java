package org.topiary.examples.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.distill.KdDataSetIterator;
import org.topiary.distill.KdHeadListener;
import org.topiary.distill.TeacherSource;
import org.topiary.examples.train.ModelFactory;
import org.topiary.examples.train.PrunedRun;
import org.topiary.examples.train.RunContext;
import org.topiary.examples.train.RunSpec;
import org.topiary.examples.train.SparsityReport;
import org.topiary.examples.train.SparsityTrace;
import org.topiary.examples.train.TrainOptions;
import org.topiary.examples.train.TrainingData;
import org.topiary.examples.train.WeightSparsity;
import org.topiary.sparsity.dl4j.persist.DivergenceGuard;
import org.topiary.sparsity.dl4j.surgery.ShrunkModel;
import org.topiary.sparsity.dl4j.surgery.SurgeryPlan;

/**
 * How one set of {@link CandidateSettings} is trained: the network (with its L1 regularizers),
 * the listeners ({@link DivergenceGuard} first, then the KD head switch, then the {@code
 * PruningListener}) and the KD-widened training data. The same {@link RunSpec} is used for the
 * search's candidates ({@link #trainAndEvaluate}, evaluated once, after the last epoch, on the
 * data's "test" side, which for a candidate is the validation split) and for the final run of
 * the best settings ({@code Trainer}, on the real test set). After a candidate is evaluated, its
 * dead units are removed ({@link SurgeryPlan}; neurons-pattern candidates lose whole neurons) and
 * the full-size and shrunk networks are timed with the {@link LatencyProbe}.
 *
 * <p>Immutable; the only shared objects are the teacher (an in-memory cache, read-only after it
 * was built) and the allocator (read-only), so candidates may train concurrently.
 */
public final class CandidateTraining {

    /** Batch size for evaluation; it does not change the accuracy. */
    static final int EVAL_BATCH_SIZE = 1000;

    private final TrainOptions options;
    private final NetworkFactory networks;
    private final Optional<TeacherSource> teacher;
    private final LayerAllocator allocator;
    private final LatencyProbe latency;

    /**
     * Training with the default {@link LatencyProbe}.
     *
     * @param options epochs, batch size and seed of every candidate
     * @param networks builds a candidate's network
     * @param teacher the search's teacher (its logits cached once), or empty without distillation
     * @param allocator per-layer targets for {@link AllocationMode#SENSITIVITY}
     */
    public CandidateTraining(
            TrainOptions options, NetworkFactory networks, Optional<TeacherSource> teacher, LayerAllocator allocator) {
        this(options, networks, teacher, allocator, LatencyProbe.defaults());
    }

    private CandidateTraining(
            TrainOptions options,
            NetworkFactory networks,
            Optional<TeacherSource> teacher,
            LayerAllocator allocator,
            LatencyProbe latency) {
        this.options = Objects.requireNonNull(options, "options");
        this.networks = Objects.requireNonNull(networks, "networks");
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    /** A copy that times candidates with {@code probe}. */
    public CandidateTraining withLatencyProbe(LatencyProbe probe) {
        return new CandidateTraining(options, networks, teacher, allocator, probe);
    }

    /** How candidates are timed. */
    public LatencyProbe latencyProbe() {
        return latency;
    }

    /** Epochs, batch size and seed. */
    public TrainOptions options() {
        return options;
    }

    /** The allocator for sensitivity allocation. */
    public LayerAllocator allocator() {
        return allocator;
    }

    /**
     * The run of {@code settings} on data with {@code trainSize} training examples.
     *
     * @param name run name (names the model file)
     * @param settings what to train
     * @param trainSize training examples per epoch
     * @return the spec: pruned, saved with its pruning state
     * @throws IllegalStateException if the settings distill but there is no teacher
     */
    public RunSpec runSpec(String name, CandidateSettings settings, int trainSize) {
        Objects.requireNonNull(settings, "settings");
        if (settings.distill() && teacher.isEmpty()) {
            throw new IllegalStateException(
                    "settings " + settings.describe() + " distill, but the search has no teacher;"
                            + " give one (--teacher FILE) or keep distillation out of the search space");
        }
        long totalSteps = (long) options.epochs() * options.stepsPerEpoch(trainSize);
        ModelFactory model = seed -> networks.create(seed, settings.regularizers(totalSteps));
        RunSpec pruned = PrunedRun.of(name, model, ctx -> settings.pruningConfig(ctx.totalSteps(), allocator));
        return pruned.withListeners(ctx -> {
            List<TrainingListener> ls = new ArrayList<>();
            ls.add(DivergenceGuard.create());
            if (settings.distill()) {
                ls.add(KdHeadListener.of(ctx.model(), settings.kdLoss()));
            }
            ls.addAll(pruned.listeners().create(ctx));
            return ls;
        });
    }

    /**
     * The data a run of {@code settings} trains on: with distillation, every training batch
     * carries the teacher's logits next to the labels.
     */
    public TrainingData data(TrainingData base, CandidateSettings settings) {
        if (!settings.distill()) {
            return base;
        }
        TeacherSource t = teacher.orElseThrow(() -> new IllegalStateException("no teacher for " + settings.describe()));
        return base.withTrainIterators(it -> KdDataSetIterator.wrap(it, t));
    }

    /**
     * Trains {@code settings} on {@code data}'s training side for {@code options().epochs()}
     * epochs, evaluates it once, after the last epoch, on {@code data}'s test side, shrinks it
     * ({@link SurgeryPlan#of(org.deeplearning4j.nn.api.Model)}: the weights are masked, so every
     * unit whose incoming weights are all zero is dead) and times the full-size and the shrunk
     * network on the first {@link LatencyProbe#batch()} examples of the test side.
     *
     * @param settings what to train
     * @param data training examples and the evaluation set (the validation split during a search)
     * @return accuracy, sparsity, shrunk size and latency of the trained network
     * @throws org.topiary.sparsity.dl4j.persist.TrainingDivergedException if the loss or a weight
     *     became NaN or infinite
     * @throws org.topiary.sparsity.dl4j.surgery.UnsupportedLayerException if the network holds a
     *     layer the surgery does not know
     */
    public CandidateMetrics trainAndEvaluate(CandidateSettings settings, TrainingData data) {
        return evaluate(train(settings, data), data);
    }

    /**
     * Trains {@code settings} on {@code data}'s training side for {@code options().epochs()}
     * epochs; the returned network's pruned weights are exactly 0 and its listeners are removed.
     */
    MultiLayerNetwork train(CandidateSettings settings, TrainingData data) {
        RunSpec spec = runSpec("candidate", settings, data.trainSize());
        TrainingData widened = data(data, settings);
        MultiLayerNetwork net = spec.model().create(options.seed());
        int stepsPerEpoch = options.stepsPerEpoch(data.trainSize());
        RunContext ctx = new RunContext(net, options.seed(), options.epochs(), stepsPerEpoch, new SparsityTrace());
        List<TrainingListener> listeners = new ArrayList<>(spec.listeners().create(ctx));
        net.setListeners(listeners);
        DataSetIterator train = widened.trainIterator(options.batchSize(), options.seed());
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            net.fit(train); // resets (reshuffles) the iterator from the second epoch on, as Trainer does
        }
        net.setListeners(new ArrayList<TrainingListener>()); // training is over; nothing listens to evaluation and timing
        return net;
    }

    /** Accuracy on {@code data}'s test side, sparsity, the shrunk network's size and the latencies of {@code net}. */
    CandidateMetrics evaluate(MultiLayerNetwork net, TrainingData data) {
        double accuracy = net.evaluate(data.testIterator(EVAL_BATCH_SIZE)).accuracy();
        SparsityReport weights = WeightSparsity.measure(net);
        ShrunkCost cost = shrinkAndTime(net, data);
        LatencyProbe.Measurement t = cost.latency();
        return new CandidateMetrics(
                accuracy, weights.sparsity(), weights.nonzeroWeights(), weights.nonzeroParams(), weights.totalParams(),
                cost.shape(), cost.params(), t.shrunkMillis(), t.denseMillis(), t.ratio());
    }

    /**
     * A trained network's shrunk size and latency.
     *
     * @param shape units per layer of the shrunk network, inputs first, e.g. {@code 784-30-10-10}
     * @param params parameters of the shrunk network
     * @param latency full-size and shrunk latency ({@link LatencyProbe})
     */
    public record ShrunkCost(String shape, long params, LatencyProbe.Measurement latency) {}

    /**
     * Removes the dead units of {@code net} ({@link SurgeryPlan#of(org.deeplearning4j.nn.api.Model)};
     * {@code net}'s pruned weights must be exactly 0, as after training with the {@code
     * PruningListener} or after loading a pruned model) and times it against the shrunk network
     * on the first {@link LatencyProbe#batch()} examples of {@code data}'s test side (only the
     * images are used). {@code net} is not changed.
     *
     * @param net a trained network without training listeners
     * @param data where the timed images come from
     * @return the shrunk shape, params and latencies
     */
    public ShrunkCost shrinkAndTime(MultiLayerNetwork net, TrainingData data) {
        ShrunkModel shrunk = SurgeryPlan.of(net).apply();
        MultiLayerNetwork small = shrunk.network();
        INDArray x = data.testIterator(latency.batch()).next().getFeatures();
        return new ShrunkCost(shape(small), small.numParams(), latency.measure(net, small, x));
    }

    /** Units per layer, inputs first, e.g. {@code 784-30-10-10} (nIn of the first layer, then each nOut). */
    static String shape(MultiLayerNetwork net) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer l = net.getLayerWiseConfigurations().getConf(i).getLayer();
            if (l instanceof FeedForwardLayer f) {
                if (b.length() == 0) {
                    b.append(f.getNIn());
                }
                b.append('-').append(f.getNOut());
            }
        }
        return b.toString();
    }
}

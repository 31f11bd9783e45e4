package org.topiary.examples.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.examples.data.TrainValidationSplit;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.Steps;
import org.topiary.sparsity.auto.Allocation;
import org.topiary.sparsity.auto.SensitivityCurve;
import org.topiary.sparsity.auto.SparsityAllocator;
import org.topiary.sparsity.dl4j.ModelSparsity;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.auto.SensitivityAnalysis;
import org.topiary.sparsity.internal.Checks;

/**
 * Sensitivity measured at a pruned <em>operating point</em> instead of the dense model: the one
 * implementation behind {@code topiary sensitivity --operating-sparsity} and the {@code alloc-op}
 * arm of {@code topiary bench alloc} (FMNIST-ALLOC in docs/benchmarks.md).
 *
 * <ol>
 *   <li>{@link #train}: a LeNet-300-100 ({@link ModelZoo#lenet300100}) trained on the training
 *       part of a {@link TrainValidationSplit} with a cubic GMP schedule and <b>global</b>
 *       magnitude pruning to {@code S0} (from the end of {@code beginEpoch} to the end of {@code
 *       endEpoch}, masks every {@code frequency} steps, counted in the part's steps).
 *   <li>{@link #measure}: each weight tensor <em>alone</em> pruned further by magnitude to each
 *       fraction {@code f} of its survivors ({@code countFor(f, m_l)} more of its {@code m_l}
 *       non-zeros, {@link SensitivityAnalysis.Builder#optSurvivors}), each point and the baseline
 *       after {@code recoverySteps} masked Adam steps on the training part with every tensor's
 *       zeros held and the <em>same</em> fixed minibatches (drawn once, seed {@code seed + 1000}),
 *       scored on the validation part (never the test set).
 *   <li>{@link Result#allocate}: {@link SparsityAllocator#allocateBeyond} spreads the weights still
 *       to prune from {@code S0} to the target with the smallest predicted drop; every tensor only
 *       loses weights from the operating point, {@code Σ c_l = round(S·N)} exactly.
 * </ol>
 *
 * <p>Cost (FMNIST full data, 54,000 training images, 1 thread): the model is one 10-epoch GMP run
 * (≈ 35 s), the curves {@code 1 + T·G} short trainings of {@code recoverySteps} steps plus one
 * validation pass each (27 points: ≈ 20–25 s).
 */
public final class OperatingPointSensitivity {

    /** Validation batch size (evaluation only; does not change any number). */
    private static final int EVAL_BATCH = 1000;

    /** Seed offset of the fixed recovery minibatches (distinct from the training order). */
    public static final long RECOVERY_SEED_OFFSET = 1_000;

    private OperatingPointSensitivity() {}

    /**
     * The settings of both steps.
     *
     * @param operatingSparsity {@code S0}, the operating point's overall sparsity, in (0, 1)
     * @param epochs passes over the training part, {@code >= endEpoch}
     * @param batchSize examples per step (128 in the protocol)
     * @param beginEpoch pruning starts at the end of this epoch, {@code >= 0}
     * @param endEpoch {@code S0} reached at the end of this epoch, {@code > beginEpoch}
     * @param frequency steps between mask updates, {@code >= 1}
     * @param grid fractions of each tensor's survivors, strictly increasing in (0, 1)
     * @param recoverySteps masked Adam steps before every point and the baseline, {@code >= 1}
     */
    public record Settings(double operatingSparsity, int epochs, int batchSize, int beginEpoch, int endEpoch,
            long frequency, double[] grid, int recoverySteps) {
        /** Validates every component, naming it. */
        public Settings {
            Checks.isTrue(operatingSparsity > 0 && operatingSparsity < 1,
                    "operatingSparsity must be in (0, 1), found %s", operatingSparsity);
            Checks.positive("epochs", epochs);
            Checks.positive("batchSize", batchSize);
            Checks.nonNegative("beginEpoch", beginEpoch);
            Checks.isTrue(endEpoch > beginEpoch, "endEpoch (%d) must be > beginEpoch (%d)", endEpoch, beginEpoch);
            Checks.isTrue(endEpoch <= epochs,
                    "endEpoch (%d) must be <= epochs (%d), or the operating point never reaches its sparsity", endEpoch, epochs);
            Checks.positive("frequency", frequency);
            grid = Checks.notNull("grid", grid).clone();
            validateFractions("grid", grid);
            Checks.positive("recoverySteps", recoverySteps);
        }

        @Override
        public double[] grid() {
            return grid.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s && s.operatingSparsity == operatingSparsity && s.epochs == epochs
                    && s.batchSize == batchSize && s.beginEpoch == beginEpoch && s.endEpoch == endEpoch
                    && s.frequency == frequency && Arrays.equals(s.grid, grid) && s.recoverySteps == recoverySteps;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(operatingSparsity, epochs, batchSize, beginEpoch, endEpoch, frequency,
                    Arrays.hashCode(grid), recoverySteps);
        }

        @Override
        public String toString() {
            return "Settings[operatingSparsity=" + operatingSparsity + ", epochs=" + epochs + ", batchSize=" + batchSize
                    + ", beginEpoch=" + beginEpoch + ", endEpoch=" + endEpoch + ", frequency=" + frequency
                    + ", grid=" + Arrays.toString(grid) + ", recoverySteps=" + recoverySteps + "]";
        }
    }

    /**
     * Checks a grid of survivor fractions: strictly increasing, every point in (0, 1).
     *
     * @param field the name used in the message (e.g. {@code --grid})
     * @throws IllegalArgumentException naming {@code field[j]} and the value
     */
    public static void validateFractions(String field, double[] grid) {
        Checks.notNull(field, grid);
        for (int j = 0; j < grid.length; j++) {
            Checks.isTrue(grid[j] > 0 && grid[j] < 1,
                    "%s[%d] must be in (0, 1) (a fraction of each tensor's survivors to prune further), found %s", field, j, grid[j]);
        }
        SensitivityCurve.validateGrid(field, grid);
    }

    /**
     * The overall sparsity the survivor curves can reach from an operating point, to within
     * rounding: {@code S0 + f_max · (1 − S0)} for the grid's largest fraction {@code f_max} (each
     * tensor prunes at most {@code round(f_max · m_l)} of its {@code m_l} survivors). A target above
     * it cannot be allocated; checking it before the operating point is trained saves the training.
     *
     * @param operatingSparsity {@code S0}
     * @param grid survivor fractions, increasing (see {@link #validateFractions})
     */
    public static double reach(double operatingSparsity, double[] grid) {
        Checks.notNull("grid", grid);
        Checks.isTrue(grid.length > 0, "grid must not be empty; give at least one survivor fraction");
        return operatingSparsity + grid[grid.length - 1] * (1 - operatingSparsity);
    }

    /** Told after every training epoch of {@link #train} (for progress output). */
    @FunctionalInterface
    public interface EpochDone {
        /**
         * @param epoch epochs done, {@code 1..epochs}
         * @param net the model being trained (do not change it)
         * @param pruning its pruning listener (for the current sparsity)
         */
        void epochDone(int epoch, MultiLayerNetwork net, PruningListener pruning);
    }

    /**
     * What {@link #measure} found.
     *
     * @param operatingSparsity {@code S0} asked for
     * @param achievedSparsity the model's measured overall sparsity over the measured tensors
     * @param validationAccuracy the operating point's validation accuracy (before any recovery)
     * @param sizes weights per tensor {@code n_l}, in model order
     * @param survivors non-zero weights per tensor at the operating point {@code m_l}
     * @param curves survivor curves (size = survivors, grid = fractions, with recovery)
     * @param recoverySteps masked steps before every point
     * @param analysisSeconds wall time of the curves
     */
    public record Result(double operatingSparsity, double achievedSparsity, double validationAccuracy,
            Map<String, Long> sizes, Map<String, Long> survivors, List<SensitivityCurve> curves, int recoverySteps,
            double analysisSeconds) {
        /** Copies the maps and the list. */
        public Result {
            sizes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sizes));
            survivors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(survivors));
            curves = List.copyOf(curves);
        }

        /**
         * The allocation to {@code target} from the operating point ({@link
         * SparsityAllocator#allocateBeyond}).
         *
         * @throws IllegalArgumentException when {@code target} is below the operating point or
         *     needs more than the grid measured (the message says which)
         */
        public Allocation allocate(double target) {
            return SparsityAllocator.minimizeLoss().allocateBeyond(curves, sizes, target);
        }
    }

    /**
     * Trains the operating-point model: LeNet-300-100 ({@code seed}) on {@code split}'s training
     * part ({@code split.trainIterator(batchSize, seed)}), global cubic GMP to {@code S0}. The
     * returned model has no listeners.
     *
     * @param afterEpoch told after every epoch, or {@code null}
     */
    public static MultiLayerNetwork train(TrainValidationSplit split, Settings s, long seed, EpochDone afterEpoch) {
        long partSteps = Steps.perEpoch(split.train().size(), s.batchSize());
        PruningConfig config = PruningConfig.gradual(s.operatingSparsity(), Steps.atEndOfEpoch(s.beginEpoch(), partSteps),
                        Steps.atEndOfEpoch(s.endEpoch(), partSteps), s.frequency())
                .toBuilder().optScope(Scope.GLOBAL).build();
        MultiLayerNetwork net = ModelZoo.lenet300100(seed);
        PruningListener pruning = PruningListener.create(config);
        net.setListeners(pruning);
        DataSetIterator train = split.trainIterator(s.batchSize(), seed);
        for (int e = 1; e <= s.epochs(); e++) {
            net.fit(train);
            if (afterEpoch != null) {
                afterEpoch.epochDone(e, net, pruning);
            }
        }
        net.setListeners(new ArrayList<TrainingListener>());
        return net;
    }

    /**
     * Measures the survivor curves of {@code net} (already pruned, e.g. by {@link #train}) on
     * {@code split}: recovery minibatches from the training part, accuracy on the validation part.
     * The model's params are the same bits afterwards.
     *
     * @param progress told after each tensor, or {@code null}
     * @throws IllegalStateException if a tensor has no non-zero weight
     */
    public static Result measure(MultiLayerNetwork net, TrainValidationSplit split, Settings s, long seed,
            SensitivityAnalysis.Progress progress) {
        SparsityReport report = ModelSparsity.report(net);
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Long> survivors = new LinkedHashMap<>();
        for (var t : report.tensors()) {
            sizes.put(t.id(), t.size());
            survivors.put(t.id(), t.nonZeros());
        }
        double valAcc = net.evaluate(split.validationIterator(EVAL_BATCH)).accuracy();
        // the same minibatches for every point (and the baseline): differences between points are not batch noise
        List<DataSet> batches = new ArrayList<>();
        DataSetIterator it = split.trainIterator(s.batchSize(), seed + RECOVERY_SEED_OFFSET);
        while (batches.size() < s.recoverySteps()) {
            if (!it.hasNext()) {
                it.reset();
            }
            batches.add(it.next());
        }
        long t0 = System.nanoTime();
        SensitivityAnalysis.Builder b = SensitivityAnalysis.builder()
                .setEvaluator(SensitivityAnalysis.accuracy(split.validationIterator(EVAL_BATCH)))
                .optGrid(s.grid())
                .optSurvivors(true)
                .optRecovery(m -> {
                    for (DataSet batch : batches) {
                        ((MultiLayerNetwork) m).fit(batch);
                    }
                });
        if (progress != null) {
            b.optProgress(progress);
        }
        List<SensitivityCurve> curves = b.build().run(net);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(s.operatingSparsity(), report.sparsity(), valAcc, sizes, survivors, curves, s.recoverySteps(), seconds);
    }
}

package org.topiary.sparsity.dl4j.auto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.sparsity.ImportanceScorer;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PrunableTensor;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.auto.SensitivityCurve;
import org.topiary.sparsity.dl4j.PrunableParams;
import org.topiary.sparsity.dl4j.SelectionException;
import org.topiary.sparsity.dl4j.internal.ModelAdapter;
import org.topiary.sparsity.dl4j.internal.ParamHandle;
import org.topiary.sparsity.dl4j.internal.TensorSelection;
import org.topiary.sparsity.dl4j.persist.internal.Dl4jModels;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.topiary.sparsity.internal.Checks;

/**
 * Per-tensor sensitivity of a trained MultiLayerNetwork or ComputationGraph: for each selected
 * tensor, one-shot prune it <em>alone</em> to every sparsity of a grid and evaluate the model.
 *
 * <p><b>In place, restored bit-exactly.</b> The model is never cloned: one tensor at a time is
 * copied, pruned in place (its live param view multiplied by the mask), evaluated, and written
 * back from the copy ({@code assign}, so every bit, including {@code -0.0}, is restored), also
 * when the evaluator throws. Memory: one copy of the largest tensor. Cost: {@code 1 + T·G}
 * evaluations for {@code T} tensors and {@code G} grid points.
 *
 * <p><b>Which weights.</b> Grid point {@code s} prunes {@code MaskStrategy.countFor(s, n)} entries
 * (round half up, at least one kept) with the lowest scores of the selection's {@link
 * ImportanceScorer} (default magnitude), exactly as a pruning run would; weights that are already
 * zero score lowest and go first. The tensors are selected as the pruning listener selects them:
 * the {@link PruningConfig}'s layers, layer types, param keys and exclusions resolved with a
 * {@link PrunableParams} registry; a selector that matches nothing is a {@link
 * SelectionException} listing the model's layers and prunable params.
 *
 * <pre>{@code
 * List<SensitivityCurve> curves = SensitivityAnalysis.builder()
 *         .setEvaluator(SensitivityAnalysis.accuracy(validationIterator))
 *         .build()
 *         .run(net);
 * Allocation a = SparsityAllocator.minimizeLoss().allocate(curves, 0.98);
 * PruningConfig config = a.applyTo(PruningConfig.gradual(0.98, 469, 3283, 100));
 * }</pre>
 *
 * <p><b>With recovery</b> ({@link Builder#optRecovery}): after pruning, the {@link Recovery}
 * trains the model briefly (e.g. a few hundred minibatches of the training split) while the
 * tensor's mask is held (masked gradients, re-masked after every step), and the metric is taken
 * after it. This predicts what a pruning run that retrains can recover, which the one-shot curve
 * does not. The baseline is then the unpruned model after the same recovery, so a curve measures
 * what pruning costs rather than what the extra training gains. Every param of the model moves,
 * so the analysis keeps one copy of all params and
 * of the updater state and restores both, bit-exactly, with the iteration and epoch counts and the
 * listeners, after every point. Cost: {@code T·G} short trainings.
 *
 * <p><b>From a pruned operating point</b> ({@link Builder#optSurvivors}): the model is already
 * sparse (e.g. trained with gradual global pruning to a lower sparsity {@code S0}), and the curves
 * measure pruning it <em>further</em>. Tensor {@code l}'s survivors are its non-zero weights at
 * the start of {@link #run} ({@code m_l} of {@code n_l}); grid point {@code f} prunes {@code
 * countFor(f, m_l)} more of them by the scorer (the zeros stay pruned: they are the previous
 * mask), and the curve's {@code size()} is {@code m_l}, its grid the fractions {@code f}, ready
 * for {@code SparsityAllocator#allocateBeyond}. With recovery, the zeros of <em>every</em>
 * selected tensor are held at zero during every short training, the baseline's included, so
 * the operating point's masks stay in force while one tensor is pruned further.
 */
public final class SensitivityAnalysis {
    /** The default grid: 0.1, 0.2, …, 0.9, 0.95, 0.98. */
    public static final List<Double> DEFAULT_GRID =
            List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98);

    /** Told after each tensor is measured (for progress output). */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param done tensors measured so far, {@code 1..total}
         * @param total tensors to measure
         * @param curve the curve just measured
         */
        void tensorDone(int done, int total, SensitivityCurve curve);
    }

    /**
     * Short training after pruning one tensor (with recovery, see the class comment). It must
     * train {@code model} in place, e.g. {@code m -> net.fit(batches)}; the analysis holds the
     * mask and restores everything afterwards.
     */
    @FunctionalInterface
    public interface Recovery {
        /** Trains {@code model} briefly. */
        void train(Model model);
    }

    private final double[] grid;
    private final ToDoubleFunction<Model> evaluator;
    private final PruningConfig selection;
    private final PrunableParams registry;
    private final Progress progress;
    private final Recovery recovery;
    private final boolean survivors;

    private SensitivityAnalysis(Builder b) {
        this.evaluator = Checks.notNull("evaluator (setEvaluator)", b.evaluator);
        this.grid = b.grid.clone();
        SensitivityCurve.validateGrid("grid", grid);
        this.selection = b.selection != null ? b.selection : allTensors();
        Checks.isTrue(!(b.survivors && selection.strategy().allowsRegrowth()),
                "optSurvivors(true) needs a mask strategy that keeps pruned weights pruned, but the optSelection"
                        + " config's strategy allows regrowth; use a monotone strategy (e.g. magnitude) for the selection");
        this.registry = Checks.notNull("registry", b.registry);
        this.progress = b.progress;
        this.recovery = b.recovery;
        this.survivors = b.survivors;
    }

    private static PruningConfig allTensors() {
        return PruningConfig.builder().setSchedule(SparsitySchedule.constant(0.0)).build();
    }

    /** A builder: {@code setEvaluator} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Classification accuracy on {@code data} (reset before every evaluation), for a
     * MultiLayerNetwork or a single-output ComputationGraph.
     */
    public static ToDoubleFunction<Model> accuracy(DataSetIterator data) {
        Checks.notNull("data", data);
        return model -> {
            if (data.resetSupported()) {
                data.reset();
            }
            if (model instanceof MultiLayerNetwork n) {
                return n.evaluate(data).accuracy();
            }
            if (model instanceof ComputationGraph g) {
                return g.evaluate(data).accuracy();
            }
            throw new IllegalArgumentException(
                    "accuracy evaluates MultiLayerNetwork and ComputationGraph models, found "
                            + (model == null ? "null" : model.getClass().getName()));
        };
    }

    /** The grid (a copy). */
    public double[] grid() {
        return grid.clone();
    }

    /** The ids of the tensors {@link #run} would measure on {@code model}, in model order. */
    public List<String> tensorIds(Model model) {
        List<String> ids = new ArrayList<>();
        for (TensorSelection.Selected s : select(model)) {
            ids.add(s.param().id());
        }
        return ids;
    }

    private List<TensorSelection.Selected> select(Model model) {
        return TensorSelection.resolve(ModelAdapter.of(model), selection, registry);
    }

    /**
     * Measures every selected tensor of {@code model}. The model's params are the same bits
     * afterwards.
     *
     * @return one curve per tensor, in model order, all with the same baseline (the unpruned
     *     metric)
     * @throws SelectionException if the selection does not fit the model
     */
    public List<SensitivityCurve> run(Model model) {
        List<TensorSelection.Selected> tensors = select(model);
        Map<String, ParamHandle> handles = new LinkedHashMap<>();
        Map<String, INDArray> held = new LinkedHashMap<>();
        for (TensorSelection.Selected s : tensors) {
            handles.put(s.param().id(), s.param());
        }
        if (survivors) {
            for (TensorSelection.Selected s : tensors) {
                INDArray keep = s.param().view().neq(0);
                long m = keep.castTo(DataType.INT64).sumNumber().longValue();
                Checks.state(m > 0, "tensor '%s' has no non-zero weight, so it has no survivors to prune further;"
                        + " exclude it from the selection (optSelection)", s.param().id());
                held.put(s.param().id(), keep);
            }
        }
        Snapshot snapshot = recovery == null ? null : Snapshot.of(model);
        double baseline;
        if (snapshot == null) {
            baseline = evaluate(model, "the unpruned model");
        } else {
            try {
                recover(model, handles, held);
                baseline = evaluate(model, survivors ? "the operating point after recovery" : "the unpruned model after recovery");
            } finally {
                snapshot.restore(model);
            }
        }
        ImportanceScorer scorer = selection.scorer();
        MaskStrategy strategy = selection.strategy();
        List<SensitivityCurve> curves = new ArrayList<>(tensors.size());
        for (TensorSelection.Selected s : tensors) {
            ParamHandle p = s.param();
            INDArray view = p.view();
            INDArray saved = view.dup();
            INDArray keep = held.get(p.id());
            long n = view.length();
            long m = keep == null ? n : keep.castTo(DataType.INT64).sumNumber().longValue();
            double[] metrics = new double[grid.length];
            try {
                INDArray scores = scorer.score(PrunableTensor.of(p.id(), saved, keep), 0);
                for (int j = 0; j < grid.length; j++) {
                    long k = (n - m) + MaskStrategy.countFor(grid[j], m);
                    INDArray mask = strategy.computeMask(scores, keep, k);
                    view.muli(mask);
                    try {
                        if (snapshot != null) {
                            Map<String, INDArray> masks = new LinkedHashMap<>(held);
                            masks.put(p.id(), mask);
                            recover(model, handles, masks);
                        }
                        metrics[j] = evaluate(model, p.id() + " at " + (survivors ? "fraction " + grid[j] + " of its survivors" : "sparsity " + grid[j]));
                    } finally {
                        if (snapshot != null) {
                            snapshot.restore(model);
                        }
                        view.assign(saved);
                    }
                }
            } finally {
                view.assign(saved);
            }
            SensitivityCurve curve = new SensitivityCurve(p.id(), m, grid, metrics, baseline);
            curves.add(curve);
            if (progress != null) {
                progress.tensorDone(curves.size(), tensors.size(), curve);
            }
        }
        return curves;
    }

    /** Trains with {@code masks} held: masked gradients, re-masked after every step and at the end. */
    private void recover(Model model, Map<String, ParamHandle> handles, Map<String, INDArray> masks) {
        Map<ParamHandle, INDArray> floatMasks = new LinkedHashMap<>();
        masks.forEach((id, mask) -> floatMasks.put(handles.get(id), mask.castTo(handles.get(id).view().dataType())));
        ModelAdapter adapter = ModelAdapter.of(model);
        List<TrainingListener> before = Dl4jModels.listeners(model);
        List<TrainingListener> with = new ArrayList<>(before);
        with.add(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model m) {
                floatMasks.forEach((p, mask) -> {
                    INDArray g = adapter.gradientFor(p.id());
                    if (g != null) {
                        g.muli(mask);
                    }
                });
            }

            @Override
            public void iterationDone(Model m, int iteration, int epoch) {
                floatMasks.forEach((p, mask) -> p.view().muli(mask));
            }
        });
        setListeners(model, with);
        try {
            recovery.train(model);
        } finally {
            setListeners(model, before);
        }
        floatMasks.forEach((p, mask) -> p.view().muli(mask));
    }

    private static void setListeners(Model model, List<TrainingListener> listeners) {
        if (model instanceof ComputationGraph g) {
            g.setListeners(listeners);
        } else {
            ((MultiLayerNetwork) model).setListeners(listeners);
        }
    }

    /** All params, the updater state and the counts, for restoring after a recovery. */
    private record Snapshot(INDArray params, INDArray updaterState, int iteration, int epoch) {
        static Snapshot of(Model model) {
            INDArray state = ModelAdapter.of(model).updater().getStateViewArray();
            return new Snapshot(model.params().dup(), state == null ? null : state.dup(),
                    (int) Dl4jModels.iterationCount(model), (int) Dl4jModels.epochCount(model));
        }

        void restore(Model model) {
            model.params().assign(params);
            INDArray state = ModelAdapter.of(model).updater().getStateViewArray();
            if (state != null) {
                if (updaterState != null) {
                    state.assign(updaterState);
                } else {
                    state.assign(0);
                }
            }
            Dl4jModels.setCounts(model, iteration, epoch);
        }
    }

    private double evaluate(Model model, String what) {
        double m = evaluator.applyAsDouble(model);
        Checks.state(Double.isFinite(m), "the evaluator returned %s for %s; it must return a finite metric", m, what);
        return m;
    }

    /** Builder: {@code setX} for required values, {@code optX} for optional ones. */
    public static final class Builder {
        private double[] grid = DEFAULT_GRID.stream().mapToDouble(Double::doubleValue).toArray();
        private ToDoubleFunction<Model> evaluator;
        private PruningConfig selection;
        private PrunableParams registry = PrunableParams.defaults();
        private Progress progress;
        private Recovery recovery;
        private boolean survivors;

        private Builder() {}

        /**
         * Required: the metric, higher is better (e.g. {@link #accuracy} on a validation split
         * carved from the training data, never the test set). Called {@code 1 + T·G} times; it
         * must not change the params.
         */
        public Builder setEvaluator(ToDoubleFunction<Model> evaluator) {
            this.evaluator = evaluator;
            return this;
        }

        /** The sparsity grid, strictly increasing in [0, 1). Default {@link #DEFAULT_GRID}. */
        public Builder optGrid(double... sparsities) {
            this.grid = Checks.notNull("grid", sparsities).clone();
            return this;
        }

        /**
         * Which tensors, and the scorer and mask strategy: those of a pruning configuration (its
         * schedule, window and overrides are ignored). Default: every prunable tensor, magnitude.
         */
        public Builder optSelection(PruningConfig config) {
            this.selection = Checks.notNull("selection", config);
            return this;
        }

        /** Which params of which layer types are prunable. Default {@link PrunableParams#defaults()}. */
        public Builder optRegistry(PrunableParams registry) {
            this.registry = registry;
            return this;
        }

        /** Called after each tensor. Default: none. */
        public Builder optProgress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Trains briefly after each pruning, with the mask held, before evaluating (see the class
         * comment). Default: none (one-shot, in place).
         */
        public Builder optRecovery(Recovery recovery) {
            this.recovery = recovery;
            return this;
        }

        /**
         * Measures from a pruned operating point (see the class comment): the grid is fractions of
         * each tensor's non-zero weights at the start of {@link #run}, the curve's size is their
         * count, and with recovery every selected tensor's zeros are held. Default {@code false}
         * (grid = sparsities of the whole tensor; with recovery only the measured tensor's mask
         * is held).
         */
        public Builder optSurvivors(boolean survivors) {
            this.survivors = survivors;
            return this;
        }

        /** Validates and builds. */
        public SensitivityAnalysis build() {
            return new SensitivityAnalysis(this);
        }
    }
}

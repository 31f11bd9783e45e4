package org.topiary.sparsity.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.PrunableTensor;
import org.topiary.sparsity.Pruner;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.internal.FlatMultiplier;
import org.topiary.sparsity.dl4j.internal.ModelAdapter;
import org.topiary.sparsity.dl4j.internal.ParamHandle;
import org.topiary.sparsity.dl4j.internal.TensorSelection;
import org.topiary.sparsity.dl4j.internal.UpdaterStateMasker;
import org.topiary.sparsity.dl4j.internal.ZeroPreservation;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.structure.GroupLayout;
import org.topiary.sparsity.structure.MatrixView;
import org.topiary.sparsity.structure.SparsityPattern;
import org.topiary.sparsity.structure.StructuredPruner;
import org.topiary.sparsity.structure.TaylorAccumulator;

/**
 * Gradual pruning inside ordinary DL4J training: add it to a MultiLayerNetwork or
 * ComputationGraph and every pruned weight stays exactly 0.0, under every updater.
 *
 * <pre>{@code
 * PruningConfig config = PruningConfig.gradual(0.9, 469, 3283, 100);  // 90%, steps 469..3283
 * PruningListener pruning = PruningListener.attach(net, config);
 * net.fit(trainIter, 10);
 * System.out.println(pruning.report().toTable());
 * }</pre>
 *
 * <p><b>Hooks and timing</b> (DL4J 1.0.0-M2.1, SGD-type optimizers):
 *
 * <ol>
 *   <li>{@code onGradientCalculation}: after backprop, before the updater. The raw gradients of
 *       pruned weights are multiplied by the mask, so Adam, Nesterov, RmsProp … never accumulate
 *       state for them.
 *   <li>{@code iterationDone(model, iteration, epoch)}: after {@code params -= update}; DL4J passes
 *       the iteration count before its increment, so the step is {@code iteration + 1} completed
 *       updates. At an update step of the {@link org.topiary.sparsity.UpdateWindow} new masks are
 *       computed from the updated weights, the weights are masked and the updater state at pruned
 *       positions is zeroed. Between mask updates the weights are re-masked after every update,
 *       unless that is provably a no-op (built-in updaters, L1/L2/weight decay or Topiary's
 *       regularizers, no constraints: a zero weight with zero gradient and zero state gets an
 *       update of exactly 0); then they are re-masked at mask updates and epoch ends only.
 * </ol>
 *
 * <p><b>Patterns.</b> With {@code PruningConfig.optPattern} the same schedules drive structured
 * and semi-structured masks ({@link org.topiary.sparsity.structure.SparsityPattern}). Groups: the
 * units of every selected layer ({@link StructureLayouts}) are ranked by the pattern's scorer;
 * a removed unit has all its incoming weights <i>and its bias</i> masked to exactly 0 (the bias
 * is masked even though it is not selected), so its output is {@code act(0)}. Output layers are
 * left out of group pruning (removing their neurons removes classes) unless named in {@code
 * layers}. With the Taylor scorer the listener adds {@code |w ⊙ g|} of every scored weight at
 * every step (DL4J's raw mini-batch gradient, before the updater divides it by the batch size)
 * and resets the sums after each mask update; no other scorer costs anything per step. N:M and
 * blocks apply to the weights of dense, output and convolution layers. Any other layer type
 * fails at binding with the list of supported types.
 *
 * <p>The step is the model's own iteration count, so {@code fit(DataSet)} loops, {@code
 * EarlyStoppingTrainer} and resumed models count right. Masks and history live in a {@link
 * PruningState} held outside the listener. One listener serves one model (and its ParallelWrapper
 * replicas, below); binding happens at {@link #attachTo(Model)} or at the first training callback,
 * and validates the selection against the model (unknown names fail with the list of available
 * ones).
 *
 * <p><b>ParallelWrapper</b> (DL4J's data-parallel trainer with parameter averaging, {@code
 * TrainingMode.AVERAGING}, its default). Attach the listener to the model before building the
 * wrapper: {@code build()} moves the model's listeners to the wrapper, which hands this same
 * instance to every replica, so it is called concurrently from each worker thread with that
 * worker's model (worker 0 trains the attached model itself, the others train copies). Semantics:
 *
 * <ul>
 *   <li>the attached model decides the masks, at its own steps, from its own weights; the other
 *       replicas never compute masks (their iteration counts may be one ahead: DL4J copies them
 *       from the original model while worker 0 may already have finished its first update);
 *   <li>every replica masks its gradients, params and updater state with the same masks, so
 *       averaging params and updater state only ever averages zeros at pruned positions. A mask
 *       update is written into the replicas that already finished that round and enforced by the
 *       others in their own {@code iterationDone}, so it holds at the averaging that follows;
 *   <li>a step is one wrapper round (one minibatch on each of W workers): after {@code
 *       wrapper.fit} the original model's iteration count has grown by the number of rounds, so
 *       an epoch of N minibatches is ⌈N/W⌉ steps; give the schedule steps in those units;
 *   <li>after {@code wrapper.fit} the original model holds exactly the scheduled sparsity and
 *       {@link #report()}, {@link #state()} and {@link #history()} describe it. Any {@code
 *       averagingFrequency} and {@code averageUpdaters(false)} keep this; with the Taylor group
 *       scorer the evidence comes from the original model's gradients only;
 *   <li>gradient sharing ({@code TrainingMode.SHARED_GRADIENTS} or {@code CUSTOM}, Spark's {@code
 *       SharedTrainingMaster}) stops at the first step with an {@link
 *       UnsupportedOperationException} naming it;
 *   <li>a second model that no ParallelWrapper trainer trains (a clone, a restored copy) is an
 *       error at its first callback, before it is masked or trained, and so is a replica of
 *       another architecture or out of step (more than 2 from the attached model): create one listener
 *       per independent model.
 * </ul>
 */
public final class PruningListener extends BaseTrainingListener {
    private final PrunableParams registry;
    private final Pruner pruner;
    private final StructuredPruner structured;
    private final PruningState state;
    /** Guards the state's masks, mask publication and every binding's mask bookkeeping. */
    private final Object lock = new Object();
    /** Bound models in bind order (copy on write, under {@link #lock}); closed ones are dropped. */
    private volatile List<Binding> bindings = List.of();
    /** The binding that decides masks: the first bound model that is still open. */
    private volatile Binding primary;
    /** Incremented at every mask publication, under {@link #lock}. */
    private volatile int maskVersion;

    /** A selected tensor and where it sits in the flattened params. */
    private record Tensor(ParamHandle param, java.util.OptionalDouble override, long offset) {}

    /** A group layout and the tensors it masks (selected ones first, then biases). */
    private record Layout(GroupLayout groups, List<Tensor> members) {}

    /** Views and caches of the bound model; {@code multiplier} is null until something is pruned. */
    private static final class Binding {
        final Model model;
        final ModelAdapter adapter;
        final List<Tensor> tensors;
        final INDArray flatParams;
        List<Tensor> extras = List.of();
        List<Layout> layouts = List.of();
        java.util.Map<String, MatrixView> views = java.util.Map.of();
        TaylorAccumulator taylor;
        /** The mask updates' Java arrays, reused (held softly) while this binding lives. */
        final org.topiary.sparsity.MaskWorkspace workspace = org.topiary.sparsity.MaskWorkspace.create();
        FlatMultiplier multiplier;
        boolean remaskEveryStep;
        Object gradientsSource;
        INDArray flatGradients;
        /** The model's step at its last {@code iterationDone} (its iteration count when bound). */
        volatile long lastStep;
        /** Mask version this model's own thread has enforced after its own update. */
        int settledVersion;
        /** Masks (state instances) loaded into {@link #multiplier}, by param id. */
        final java.util.Map<String, INDArray> loaded = new java.util.HashMap<>();
        /** Masks this model's own thread has enforced on its params and updater state, by id. */
        final java.util.Map<String, INDArray> settled = new java.util.HashMap<>();
        boolean modeChecked;
        /**
         * A replica between its gradient callback and the end of its {@code iterationDone}: its own
         * thread is updating its params and updater state, so a mask publication leaves them to
         * that {@code iterationDone}; under {@link #lock}.
         */
        boolean inRound;

        Binding(Model model, ModelAdapter adapter, List<Tensor> tensors) {
            this.model = model;
            this.adapter = adapter;
            this.tensors = tensors;
            this.flatParams = adapter.flatParams();
        }

        List<Tensor> tensors() {
            return tensors;
        }

        ModelAdapter adapter() {
            return adapter;
        }

        Model model() {
            return model;
        }

        boolean closed() {
            return flatParams.wasClosed();
        }

        List<Tensor> masked() {
            if (extras.isEmpty()) {
                return tensors;
            }
            List<Tensor> all = new ArrayList<>(tensors);
            all.addAll(extras);
            return all;
        }

        void setMask(Tensor t, INDArray mask) {
            if (multiplier == null) {
                multiplier = FlatMultiplier.ones(flatParams.length());
            }
            multiplier.set(t.offset(), mask, t.param().view().ordering());
        }

        INDArray gradients() {
            Object source = adapter.flatGradientsIdentity();
            if (source != gradientsSource) {
                gradientsSource = source;
                flatGradients = adapter.flatGradients();
            }
            return flatGradients;
        }
    }

    private PruningListener(PruningState state, PrunableParams registry) {
        this.state = Checks.notNull("state", state);
        this.registry = Checks.notNull("registry", registry);
        boolean elements = state.config().pattern() instanceof SparsityPattern.Elements;
        this.pruner = elements ? Pruner.of(state.config()) : null;
        this.structured = elements ? null : StructuredPruner.of(state.config());
    }

    /** A listener for {@code config} with the default {@link PrunableParams}. */
    public static PruningListener create(PruningConfig config) {
        return new PruningListener(PruningState.create(config), PrunableParams.defaults());
    }

    /** A listener for {@code config} with a custom registry of prunable params. */
    public static PruningListener create(PruningConfig config, PrunableParams registry) {
        return new PruningListener(PruningState.create(config), registry);
    }

    /** A listener that carries on from a saved state (masks are re-applied when it binds). */
    public static PruningListener resume(PruningState state, PrunableParams registry) {
        return new PruningListener(state, registry);
    }

    /** Creates a listener, binds it to {@code model} (validating the selection) and adds it. */
    public static PruningListener attach(Model model, PruningConfig config) {
        return create(config).attachTo(model);
    }

    /**
     * Binds to {@code model} now, validating the selection, and adds this listener to the model's
     * listeners. This model then decides the masks, also when a ParallelWrapper trains it.
     *
     * @throws IllegalStateException if the listener is already attached to another open model
     */
    public PruningListener attachTo(Model model) {
        Binding p = primaryBinding();
        if (p != null && p.model() != model) {
            throw new IllegalStateException(
                    "this PruningListener is already attached to another model; create one PruningListener per model"
                            + " (ParallelWrapper replicas need nothing extra: attach to the original model before"
                            + " building the wrapper)");
        }
        bind(model);
        model.addListeners(this);
        return this;
    }

    /** The state this listener updates (masks, history, config). */
    public PruningState state() {
        return state;
    }

    /** The configuration. */
    public PruningConfig config() {
        return state.config();
    }

    /** Mask updates so far. */
    public List<SparsityEvent> history() {
        return state.history();
    }

    /** Ids of the selected tensors, in model order (binds on first use). */
    public List<String> selectedParamIds() {
        return bound().tensors().stream().map(t -> t.param().id()).toList();
    }

    /**
     * Exact-zero sparsity of the selected tensors of the model that decides the masks (the attached
     * model; under ParallelWrapper the original model, not a replica). Mask bytes count the BOOL mask
     * in the state and its UINT8 share of the flat multiplier used on the hot path: 2 bytes per
     * weight of a pruned tensor (the multiplier also holds 1 byte for every other param).
     */
    public SparsityReport report() {
        List<TensorSparsity> rows = new ArrayList<>();
        for (Tensor t : bound().tensors()) {
            INDArray mask = state.mask(t.param().id());
            long maskBytes = mask == null ? 0 : 2 * mask.length();
            rows.add(TensorSparsity.measure(t.param().id(), t.param().view(), maskBytes));
        }
        return SparsityReport.of(rows);
    }

    @Override
    public void onGradientCalculation(Model model) {
        Binding b = bind(model);
        if (!b.modeChecked) {
            checkTrainingMode(b);
        }
        Binding p = primaryBinding();
        if (b != p) {
            // a replica: from here to the end of its iterationDone its own thread writes its params
            // and updater state, and a mask publication must not (it would lose this update)
            synchronized (lock) {
                if (b.settledVersion != maskVersion) {
                    syncOwn(b);
                }
                b.inRound = true;
            }
        } else if (b.settledVersion != maskVersion) {
            synchronized (lock) {
                syncOwn(b);
            }
        }
        if (b.multiplier != null) {
            INDArray grads = b.gradients();
            if (grads != null) {
                b.multiplier.applyTo(grads);
            }
        }
        if (b.taylor != null && b == p) {
            accumulateTaylor(b);
        }
    }

    private static void accumulateTaylor(Binding b) {
        INDArray grads = b.gradients();
        if (grads == null) {
            return;
        }
        for (Layout l : b.layouts) {
            for (GroupLayout.Member m : l.groups().scoredMembers()) {
                Tensor t = l.members().stream().filter(x -> x.param().id().equals(m.tensorId())).findFirst().orElseThrow();
                INDArray w = t.param().view();
                INDArray g = grads.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(t.offset(), t.offset() + w.length()))
                        .reshape(w.ordering(), w.shape());
                b.taylor.add(m.tensorId(), w, g);
            }
        }
        b.taylor.endStep();
    }

    /**
     * Kept and total units per group layout (pattern groups only), keyed by the layer's id prefix
     * (index for MultiLayerNetwork, name for ComputationGraph); empty for other patterns.
     */
    public java.util.Map<String, long[]> groupCounts() {
        java.util.Map<String, long[]> out = new java.util.LinkedHashMap<>();
        for (Layout l : bound().layouts) {
            String first = l.groups().scoredMembers().get(0).tensorId();
            out.put(l.groups().name(), new long[] {StructuredPruner.keptGroups(l.groups(), state.mask(first)), l.groups().groupCount()});
        }
        return out;
    }

    /** The accumulated Taylor evidence (pattern groups with the Taylor scorer), or null. */
    public TaylorAccumulator taylorAccumulator() {
        Binding p = primaryBinding();
        return p == null ? null : p.taylor;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        Binding b = bind(model);
        if (!b.modeChecked) {
            checkTrainingMode(b);
        }
        long step = iteration + 1L;
        Binding p = primaryBinding();
        if (b == p) {
            b.lastStep = step;
            if (state.config().window().isUpdateStep(step)) {
                synchronized (lock) {
                    syncOwn(b);
                    updateMasks(b, step);
                }
            } else {
                if (b.settledVersion != maskVersion) {
                    synchronized (lock) {
                        syncOwn(b);
                    }
                }
                if (b.remaskEveryStep) {
                    applyParamMasks(b);
                }
            }
        } else {
            checkLockstep(b, p, step);
            b.lastStep = step;
            // under the lock: a mask publication also writes this replica's params and updater state
            synchronized (lock) {
                if (b.settledVersion != maskVersion) {
                    syncOwn(b);
                }
                if (b.remaskEveryStep) {
                    applyParamMasks(b);
                }
                b.inRound = false;
            }
        }
    }

    /** Re-masks the weights at every epoch end too: a cheap safety net for the skip below. */
    @Override
    public void onEpochEnd(Model model) {
        Binding b = bind(model);
        synchronized (lock) {
            syncOwn(b);
            applyParamMasks(b);
        }
    }

    /**
     * Whether the weights are re-masked after every update. False only when that is provably a
     * no-op for every selected param ({@code internal.ZeroPreservation}: built-in updaters, L1/L2/
     * weight decay or Topiary's regularizers, no constraints); they are then re-masked at mask
     * updates and epoch ends.
     */
    public boolean remasksEveryStep() {
        return bound().remaskEveryStep;
    }

    private void applyParamMasks(Binding b) {
        if (b.multiplier != null) {
            b.multiplier.applyTo(b.flatParams);
        }
    }

    private static PrunableTensor input(Tensor t, PruningState state) {
        return new PrunableTensor(t.param().id(), t.param().view(), state.mask(t.param().id()), t.override());
    }

    /** Computes new masks from {@code b}'s weights and publishes them; under {@link #lock}. */
    private void updateMasks(Binding b, long step) {
        List<PrunableTensor> inputs = new ArrayList<>(b.tensors().size());
        for (Tensor t : b.tensors()) {
            inputs.add(input(t, state));
        }
        List<Tensor> all = new ArrayList<>(b.tensors());
        all.addAll(b.extras);
        List<INDArray> masks;
        if (pruner != null) {
            masks = pruner.computeMasks(inputs, step, b.workspace);
        } else if (structured.pattern() instanceof SparsityPattern.Groups) {
            java.util.Map<String, PrunableTensor> byId = new java.util.LinkedHashMap<>();
            for (Tensor t : all) {
                byId.put(t.param().id(), input(t, state));
            }
            java.util.Map<String, INDArray> computed =
                    structured.groupMasks(b.layouts.stream().map(Layout::groups).toList(), byId, b.taylor, step);
            masks = all.stream().map(t -> computed.get(t.param().id())).toList();
            if (b.taylor != null) {
                b.taylor.reset();
            }
        } else {
            masks = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                masks.add(structured.semiStructuredMask(inputs.get(i), b.views.get(inputs.get(i).id()), step));
            }
        }
        List<Tensor> changed = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            Tensor t = all.get(i);
            INDArray mask = masks.get(i);
            if (mask == null) {
                continue;
            }
            if (state.mask(t.param().id()) != null || Arrays4j.countNonZero(mask) < mask.length()) {
                state.putMask(t.param().id(), mask);
                changed.add(t);
            }
        }
        if (!changed.isEmpty()) {
            maskVersion++;
            syncOwn(b);
            // replicas that already finished this round get the masks now, so that the next
            // parameter averaging only ever averages zeros at pruned positions; a replica still in
            // its round (its thread updating its params and updater state) enforces them itself
            // in its own iterationDone
            for (Binding other : bindings) {
                if (other != b && !other.closed() && !other.inRound) {
                    enforce(other, load(other));
                }
            }
        }
        double targetSum = 0;
        long size = 0;
        long nonZeros = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = b.tensors().get(i);
            PrunableTensor in = inputs.get(i);
            targetSum += (pruner != null ? pruner.targetSparsity(in, step) : structured.targetSparsity(in, step)) * in.length();
            size += in.length();
            nonZeros += Arrays4j.countNonZero(t.param().view());
        }
        state.addEvent(new SparsityEvent(step, targetSum / size, (double) (size - nonZeros) / size));
    }

    private static String describe(ParamHandle p) {
        return "layer " + p.layerIndex() + (p.layerName().equals(String.valueOf(p.layerIndex())) ? "" : " '" + p.layerName() + "'")
                + " (" + p.layerType() + ")";
    }

    /**
     * Builds one group layout per selected layer: its selected weights are scored, its other
     * per-unit params (the bias, unselected weights) are masked with the units. Output layers are
     * dropped unless named in the configuration's {@code layers}. Returns the selected tensors that
     * remain.
     */
    private List<Tensor> groupLayouts(ModelAdapter adapter, List<Tensor> selected, List<Tensor> extras, List<Layout> layouts) {
        java.util.Map<org.deeplearning4j.nn.api.Layer, List<Tensor>> byLayer = new java.util.LinkedHashMap<>();
        for (Tensor t : selected) {
            byLayer.computeIfAbsent(t.param().layer(), k -> new ArrayList<>()).add(t);
        }
        List<Tensor> kept = new ArrayList<>();
        for (java.util.Map.Entry<org.deeplearning4j.nn.api.Layer, List<Tensor>> e : byLayer.entrySet()) {
            ParamHandle first = e.getValue().get(0).param();
            org.deeplearning4j.nn.conf.layers.Layer conf = first.layer().conf().getLayer();
            if (conf instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer
                    && !state.config().layers().contains(first.layerName())
                    && !state.config().layers().contains(String.valueOf(first.layerIndex()))) {
                continue;
            }
            int units = StructureLayouts.unitCount(conf).orElseThrow(() -> StructureLayouts.noUnits(describe(first)));
            String layoutName = first.id().substring(0, first.id().length() - first.key().length() - 1);
            GroupLayout.Builder lb = GroupLayout.builder(layoutName, units);
            List<Tensor> members = new ArrayList<>();
            for (Tensor t : e.getValue()) {
                ParamHandle p = t.param();
                StructureLayouts.Grouping g = StructureLayouts.grouping(conf, p.key(), p.view().shape())
                        .orElseThrow(() -> new IllegalArgumentException(
                                describe(p) + " param '" + p.key() + "' is not per unit, so it cannot be pruned by groups;"
                                        + " select the layer's weights only (optParamKeys)"));
                lb.scored(p.id(), p.view().shape(), g.groupedShape(), g.axis());
                members.add(t);
                kept.add(t);
            }
            ModelAdapter.LayerInfo info = adapter.layers().stream().filter(l -> l.layer() == first.layer()).findFirst().orElseThrow();
            for (java.util.Map.Entry<String, INDArray> p : adapter.paramTable(info).entrySet()) {
                String id = adapter.paramId(info, p.getKey());
                if (members.stream().anyMatch(t -> t.param().id().equals(id))) {
                    continue;
                }
                java.util.Optional<StructureLayouts.Grouping> g = StructureLayouts.grouping(conf, p.getKey(), p.getValue().shape());
                if (g.isEmpty()) {
                    continue;
                }
                ParamHandle h = new ParamHandle(id, first.layerName(), first.layerIndex(), first.layerType(), p.getKey(), first.layer(), p.getValue());
                Tensor extra = new Tensor(h, java.util.OptionalDouble.empty(), adapter.offsetOf(h));
                lb.masked(id, p.getValue().shape(), g.get().groupedShape(), g.get().axis());
                members.add(extra);
                extras.add(extra);
            }
            layouts.add(new Layout(lb.build(), List.copyOf(members)));
        }
        if (kept.isEmpty()) {
            throw new SelectionException(
                    "the selection leaves nothing to prune by groups: output layers are left out of group pruning"
                            + " (removing their neurons removes classes); name one in layers to prune it anyway");
        }
        return kept;
    }

    private static final String GRADIENT_SHARING =
            "PruningListener does not support gradient sharing (ParallelWrapper TrainingMode.SHARED_GRADIENTS or"
                    + " CUSTOM, Spark's SharedTrainingMaster): there every replica applies the threshold-encoded sum"
                    + " of all replicas' updates inside the optimizer step and the encoder carries residuals into later"
                    + " steps, which this listener has not been shown to keep at exactly 0.0 at pruned weights. Use"
                    + " ParallelWrapper's parameter averaging (TrainingMode.AVERAGING, the builder's default) or train"
                    + " one model.";

    /** The model that decides masks (the first bound, still open, model); null before binding. */
    private Binding primaryBinding() {
        Binding p = primary;
        if (p == null || !p.closed()) {
            return p;
        }
        synchronized (lock) {
            // the first bound model was closed (a ParallelWrapper replica that bound before the
            // original model did): the oldest open model takes over
            primary = bindings.stream().filter(x -> !x.closed()).findFirst().orElse(null);
            return primary;
        }
    }

    private Binding bound() {
        Binding p = primaryBinding();
        Checks.state(p != null, "not bound to a model yet: call attachTo(model) or train first");
        return p;
    }

    /**
     * Loads into {@code b}'s multiplier every mask of the state it does not hold yet and returns
     * the tensors whose mask changed; under {@link #lock}.
     */
    private List<Tensor> load(Binding b) {
        List<Tensor> changed = new ArrayList<>();
        for (Tensor t : b.masked()) {
            INDArray mask = state.mask(t.param().id());
            if (mask != null && b.loaded.get(t.param().id()) != mask) {
                b.setMask(t, mask);
                b.loaded.put(t.param().id(), mask);
                changed.add(t);
            }
        }
        return changed;
    }

    /** Masks {@code b}'s params and zeroes its updater state at the pruned positions of {@code tensors}. */
    private static void enforce(Binding b, List<Tensor> tensors) {
        if (tensors.isEmpty() || b.multiplier == null) {
            return;
        }
        b.multiplier.applyTo(b.flatParams);
        for (Tensor t : tensors) {
            UpdaterStateMasker.applyFlat(b.adapter().updater(), t.param(), b.multiplier.slice(t.offset(), t.param().view().length()));
        }
    }

    /**
     * Brings {@code b} to the current masks from its own training thread: multiplier, params and
     * updater state of every tensor whose mask changed since this thread last did so; under
     * {@link #lock}.
     */
    private void syncOwn(Binding b) {
        load(b);
        List<Tensor> unsettled = new ArrayList<>();
        for (Tensor t : b.masked()) {
            INDArray mask = state.mask(t.param().id());
            if (mask != null && b.settled.get(t.param().id()) != mask) {
                unsettled.add(t);
            }
        }
        enforce(b, unsettled);
        for (Tensor t : unsettled) {
            b.settled.put(t.param().id(), state.mask(t.param().id()));
        }
        b.settledVersion = maskVersion;
    }

    /**
     * A second model is accepted as a data-parallel replica of the first (ParallelWrapper) when its
     * masked params have the same ids, shapes and offsets.
     */
    private static void checkSameLayout(Binding p, Binding b) {
        List<String> mine = p.masked().stream().map(PruningListener::layoutOf).toList();
        List<String> theirs = b.masked().stream().map(PruningListener::layoutOf).toList();
        if (p.flatParams.length() != b.flatParams.length() || !mine.equals(theirs)) {
            throw new IllegalStateException(
                    "this PruningListener is bound to another model with a different architecture; create one"
                            + " PruningListener per model (only a data-parallel replica of the bound model, as"
                            + " ParallelWrapper makes, may share it). Bound: " + mine + ", this one: " + theirs);
        }
    }

    /** Package of ParallelWrapper's trainers ({@code DefaultTrainer} and its subclasses). */
    private static final String TRAINERS = "org.deeplearning4j.parallelism.trainer.";

    /**
     * A second model is a data-parallel replica only when a ParallelWrapper trainer trains it
     * (its {@code run} is on the calling thread's stack: ParallelWrapper runs each trainer on a
     * thread of its executor); any other second model is refused here, before the listener builds
     * a binding for it, masks it or trains it. Runs once per newly bound model.
     */
    private static void checkReplicaThread() {
        boolean trainer = StackWalker.getInstance()
                .walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith(TRAINERS)));
        if (trainer) {
            return;
        }
        throw new IllegalStateException(
                "this PruningListener is bound to another model; create one PruningListener per model (a clone or"
                        + " a restored copy is another model; only the replicas a ParallelWrapper trains on its"
                        + " worker threads may share it)");
    }

    private static String layoutOf(Tensor t) {
        return t.param().id() + Arrays.toString(t.param().view().shape()) + "@" + t.offset();
    }

    /**
     * A replica must train in lockstep with the model that decides the masks (ParallelWrapper
     * rounds): its step may differ by at most 2 (a replica's iteration count is copied from the
     * original model while that one may already be one update ahead, and the two run the same
     * round concurrently).
     */
    private static void checkLockstep(Binding b, Binding p, long step) {
        long lead = p.lastStep;
        if (step > lead + 2 || step < lead - 2) {
            throw new IllegalStateException(
                    "this PruningListener decides its masks on the model it was attached to (at step " + lead
                            + "), but is now training another model with the same architecture alone (at step " + step
                            + "). A second model may share the listener only as a data-parallel replica trained in"
                            + " lockstep (ParallelWrapper); to prune an independent model, create one"
                            + " PruningListener per model.");
        }
    }

    /** Refuses gradient sharing, once per model, as soon as the model's optimizer exists. */
    private static void checkTrainingMode(Binding b) {
        org.deeplearning4j.optimize.api.ConvexOptimizer o;
        try {
            o = b.model().getOptimizer();
        } catch (NullPointerException e) {
            // MultiLayerNetwork/ComputationGraph.getOptimizer() dereference a solver that DL4J only
            // creates when fitting starts (a callback invoked by hand); check again next time
            return;
        }
        if (o == null) {
            return;
        }
        if (o.getGradientsAccumulator() != null) {
            throw new UnsupportedOperationException(GRADIENT_SHARING);
        }
        b.modeChecked = true;
    }

    /** The binding of {@code model}, created (and validated) on first use. */
    private Binding bind(Model model) {
        for (Binding b : bindings) {
            if (b.model() == model) {
                return b;
            }
        }
        synchronized (lock) {
            for (Binding b : bindings) {
                if (b.model() == model) {
                    return b;
                }
            }
            Binding p = primaryBinding();
            if (p != null) {
                checkReplicaThread();
            }
            Binding b = newBinding(model);
            if (p != null) {
                checkSameLayout(p, b);
            }
            List<Binding> next = new ArrayList<>();
            for (Binding old : bindings) {
                if (!old.closed()) {
                    next.add(old);
                }
            }
            next.add(b);
            bindings = List.copyOf(next);
            if (p == null) {
                primary = b;
            }
            syncOwn(b);
            return b;
        }
    }

    private Binding newBinding(Model model) {
        ModelAdapter adapter = ModelAdapter.of(model);
        List<Tensor> tensors = new ArrayList<>();
        for (TensorSelection.Selected s : TensorSelection.resolve(adapter, state.config(), registry)) {
            tensors.add(new Tensor(s.param(), s.override(), adapter.offsetOf(s.param())));
        }
        SparsityPattern pattern = state.config().pattern();
        List<Tensor> extras = new ArrayList<>();
        List<Layout> layouts = new ArrayList<>();
        java.util.Map<String, MatrixView> views = new java.util.LinkedHashMap<>();
        if (pattern instanceof SparsityPattern.Groups) {
            tensors = groupLayouts(adapter, tensors, extras, layouts);
        } else if (!(pattern instanceof SparsityPattern.Elements)) {
            for (Tensor t : tensors) {
                ParamHandle p = t.param();
                MatrixView v = StructureLayouts.matrixView(
                        p.layer().conf().getLayer(), describe(p), p.id(), p.key(), p.view().shape());
                structured.validate(v);
                views.put(p.id(), v);
            }
        }
        List<Tensor> masked = new ArrayList<>(tensors);
        masked.addAll(extras);
        for (String id : state.masks().keySet()) {
            Tensor t = masked.stream().filter(x -> x.param().id().equals(id)).findFirst().orElse(null);
            if (t == null) {
                throw new IllegalArgumentException(
                        "the saved pruning state has a mask for '" + id + "', which is not a selected prunable param of"
                                + " this model; selected: " + masked.stream().map(x -> x.param().id()).toList()
                                + ". Restore the state onto the model it was saved with.");
            }
            INDArray mask = state.mask(id);
            if (!Arrays.equals(mask.shape(), t.param().view().shape())) {
                throw new IllegalArgumentException(
                        "the saved mask of '" + id + "' has shape " + Arrays.toString(mask.shape())
                                + " but the model's param has shape " + Arrays.toString(t.param().view().shape())
                                + ": the model's architecture differs from the one the state was saved with");
            }
        }
        Binding b = new Binding(model, adapter, List.copyOf(tensors));
        b.extras = List.copyOf(extras);
        b.layouts = List.copyOf(layouts);
        b.views = java.util.Map.copyOf(views);
        if (pattern instanceof SparsityPattern.Groups g && g.scorer().needsGradients()) {
            b.taylor = new TaylorAccumulator();
        }
        b.remaskEveryStep = masked.stream().anyMatch(t -> !ZeroPreservation.isProvable(t.param()));
        b.lastStep = adapter.iterationCount();
        return b;
    }
}

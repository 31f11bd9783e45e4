package org.topiary.sparsity.dl4j.samediff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.topiary.sparsity.MaskWorkspace;
import org.topiary.sparsity.PrunableTensor;
import org.topiary.sparsity.Pruner;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsityReport;
import org.topiary.sparsity.TensorSparsity;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.SparsityEvent;
import org.topiary.sparsity.dl4j.internal.HostMultiply;
import org.topiary.sparsity.internal.Arrays4j;
import org.topiary.sparsity.internal.Checks;

/**
 * Gradual pruning inside ordinary SameDiff training ({@code sd.fit}): every pruned weight stays
 * exactly 0.0 under every updater. The same {@link PruningConfig} (schedule, update window, scope,
 * scorer, strategy) and the same {@link Pruner} as the DL4J {@link
 * org.topiary.sparsity.dl4j.PruningListener}.
 *
 * <pre>{@code
 * sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(1e-3)) ... .build());
 * SameDiffPruning pruning = SameDiffPruning.attach(sd, PruningConfig.gradual(0.9, 100, 1000, 50));
 * sd.fit(trainIter, 10);
 * System.out.println(pruning.report().toTable());
 * SameDiffPruningFiles.save(sd, pruning, Path.of("model.sd"));   // model.sd + model.sd.pruning.zip
 * }</pre>
 *
 * <p><b>Selection.</b> By default every trainable ({@code VARIABLE}), floating point variable of
 * rank &ge; 2: the weights, never the rank-1 biases. {@link PruningConfig#layers()} names
 * variables instead, {@link PruningConfig#exclude()} leaves variables out, and {@link
 * PruningConfig#overrides()} is keyed by variable name; {@code layerTypes} and {@code paramKeys}
 * must be empty and the pattern must be elements. An unknown name, a CONSTANT (weights imported
 * from TensorFlow or ONNX: call {@code sd.convertToVariables} first), a placeholder or an empty
 * selection is a {@link org.topiary.sparsity.dl4j.SelectionException} listing the graph's
 * variables.
 *
 * <p><b>Hooks and timing</b> (ND4J 1.0.0-M2.1, {@code TrainingSession}). For every trainable
 * variable, during backprop: regularization before the updater, the updater, regularization after
 * it, then {@link #preUpdate}, then {@code param -= update}. After all updates, {@link
 * #iterationDone} with {@code at.iteration()} = the count <i>before</i> SameDiff increments it, so
 * the step is {@code at.iteration() + 1} completed updates, the same count as the DL4J listener.
 *
 * <ol>
 *   <li>{@code preUpdate}: the final update of a pruned variable is multiplied by its mask, so a
 *       pruned weight gets an update of exactly 0 whatever the updater and regularization did.
 *   <li>{@code iterationDone}: at an update step of the window, new masks are computed from the
 *       updated weights, the weights are masked, and the updater state (Adam's m and v, Nesterov's
 *       velocity, …; {@code sd.getUpdaterMap()}) is zeroed at every position pruned by the old or
 *       the new mask, so an entry that a regrowing strategy revives starts with a clean state. At
 *       every other step the pruned weights are multiplied by their mask again (a no-op unless
 *       something outside training wrote to them).
 * </ol>
 *
 * Between mask updates the updater still sees the raw gradients of pruned weights (its state at
 * pruned positions moves; it never reaches the weights and is cleared at the next mask update).
 * Cost per iteration: one multiply of the update and one of the weights per pruned variable, by a
 * UINT8 copy of the mask in the variable's layout; memory: 2 bytes per pruned weight (the BOOL
 * mask and the UINT8 multiplier). No reference to any op output is kept.
 *
 * <p><b>Step and state.</b> The step is SameDiff's own iteration count ({@code
 * TrainingConfig.getIterationCount()}), which {@code sd.save} stores and {@code SameDiff.load}
 * restores, so a resumed graph carries on with the schedule. The masks and the history of mask
 * updates are in {@link #state()} (a {@link PruningState}, the same type and file format as for
 * DL4J models); {@link SameDiffPruningFiles} writes them next to the SameDiff file and {@link
 * #resume(SameDiff, PruningState)} carries on from them. One instance serves one SameDiff graph.
 */
public final class SameDiffPruning extends BaseListener {
    private final SameDiff sd;
    private final PruningConfig config;
    private final Pruner pruner;
    private final List<VariableSelection.Selected> selected;
    private final Map<String, INDArray> masks = new LinkedHashMap<>();
    /** UINT8 copies of the masks, in each variable's shape and memory order (the hot path). */
    private final Map<String, INDArray> multipliers = new LinkedHashMap<>();
    private final List<SparsityEvent> history = new ArrayList<>();
    private final MaskWorkspace workspace = MaskWorkspace.create();
    private long lastStep = -1;

    private SameDiffPruning(SameDiff sd, PruningConfig config) {
        this.sd = Checks.notNull("sd", sd);
        this.config = Checks.notNull("config", config);
        this.selected = List.copyOf(VariableSelection.resolve(sd, config));
        this.pruner = Pruner.of(config);
    }

    /**
     * Validates {@code config} against {@code sd} (see the class comment for the selection), and
     * adds the listener to {@code sd} with {@code sd.addListeners}.
     *
     * @throws org.topiary.sparsity.dl4j.SelectionException when the selection does not fit the graph
     */
    public static SameDiffPruning attach(SameDiff sd, PruningConfig config) {
        SameDiffPruning p = new SameDiffPruning(sd, config);
        sd.addListeners(p);
        return p;
    }

    /**
     * Carries on from a saved state: checks every mask against {@code sd} (a selected variable of
     * the same shape), masks the weights and the updater state, and adds the listener. {@code sd}
     * must be at or past the state's last mask update, i.e. loaded with its training
     * configuration ({@code SameDiff.load(file, true)}); the schedule continues from SameDiff's
     * iteration count.
     *
     * @throws org.topiary.sparsity.dl4j.SelectionException when the state's configuration does not
     *     fit the graph
     * @throws IllegalArgumentException when a mask does not fit, or the graph's iteration count is
     *     before the state's last mask update
     */
    public static SameDiffPruning resume(SameDiff sd, PruningState state) {
        Checks.notNull("state", state);
        SameDiffPruning p = new SameDiffPruning(sd, state.config());
        for (Map.Entry<String, INDArray> e : state.masks().entrySet()) {
            String name = e.getKey();
            if (p.selected.stream().noneMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("the saved pruning state has a mask for '" + name + "', which is not a"
                        + " selected variable of this SameDiff graph; selected: " + p.selectedVariables()
                        + ". Resume onto the graph the state was saved with.");
            }
            INDArray param = sd.getArrForVarName(name);
            if (!Arrays.equals(param.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("the saved mask of '" + name + "' has shape " + Arrays.toString(e.getValue().shape())
                        + " but the variable has shape " + Arrays.toString(param.shape())
                        + ": the graph differs from the one the state was saved with");
            }
        }
        long last = state.history().isEmpty() ? 0 : state.history().get(state.history().size() - 1).step();
        long step = p.step();
        Checks.isTrue(step >= last,
                "the SameDiff graph has completed %d updates (TrainingConfig iteration count) but the pruning state"
                        + " was updated at step %d; load the graph with its training state (SameDiff.load(file, true))"
                        + " instead of setting a new TrainingConfig, or set its iteration count to the saved one",
                step, last);
        for (Map.Entry<String, INDArray> e : state.masks().entrySet()) {
            p.setMask(e.getKey(), e.getValue(), null);
        }
        p.history.addAll(state.history());
        p.lastStep = step;
        sd.addListeners(p);
        return p;
    }

    /** The configuration. */
    public PruningConfig config() {
        return config;
    }

    /** The graph this instance prunes. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** Names of the pruned variables, in the graph's order. */
    public List<String> selectedVariables() {
        return selected.stream().map(VariableSelection.Selected::name).toList();
    }

    /** Completed optimizer updates: SameDiff's iteration count (0 before a training config is set). */
    public long step() {
        return sd.getTrainingConfig() == null ? 0 : sd.getTrainingConfig().getIterationCount();
    }

    /** Mask updates so far, oldest first. */
    public List<SparsityEvent> history() {
        return Collections.unmodifiableList(history);
    }

    /**
     * A snapshot of the masks (BOOL, {@code true} = kept, keyed by variable name) and history, for
     * saving; later mask updates do not change it.
     */
    public PruningState state() {
        return PruningState.restore(config, new LinkedHashMap<>(masks), history);
    }

    /**
     * Exact-zero sparsity of the selected variables, measured in the weights. Mask bytes: 2 per
     * weight of a pruned variable (BOOL mask and UINT8 multiplier).
     */
    public SparsityReport report() {
        List<TensorSparsity> rows = new ArrayList<>();
        for (VariableSelection.Selected s : selected) {
            INDArray mask = masks.get(s.name());
            rows.add(TensorSparsity.measure(s.name(), sd.getArrForVarName(s.name()), mask == null ? 0 : 2 * mask.length()));
        }
        return SparsityReport.of(rows);
    }

    /** Active in training only. */
    @Override
    public boolean isActive(Operation operation) {
        return operation == Operation.TRAINING;
    }

    /** Checks that training runs on the graph this instance was attached to. */
    @Override
    public void iterationStart(SameDiff graph, At at, MultiDataSet data, long etlMs) {
        if (graph != sd) {
            throw new IllegalStateException("this SameDiffPruning is attached to another SameDiff graph; attach one"
                    + " SameDiffPruning per graph (a loaded or cloned copy is another graph)");
        }
    }

    /**
     * Multiplies the final update of a pruned variable by its mask, just before SameDiff subtracts
     * it. {@code graph} is SameDiff's gradient function, which shares the variables' arrays.
     */
    @Override
    public void preUpdate(SameDiff graph, At at, Variable v, INDArray update) {
        INDArray m = multipliers.get(v.getName());
        if (m != null) {
            multiply(update, m, v.getName());
        }
    }

    /** Updates the masks at the window's steps; re-masks the pruned weights otherwise. */
    @Override
    public void iterationDone(SameDiff graph, At at, MultiDataSet dataSet, Loss loss) {
        long step = at.iteration() + 1L;
        if (step == lastStep) {
            return; // never two mask updates for one step
        }
        lastStep = step;
        if (config.window().isUpdateStep(step)) {
            updateMasks(graph, step);
        } else {
            for (Map.Entry<String, INDArray> e : multipliers.entrySet()) {
                multiply(graph.getArrForVarName(e.getKey()), e.getValue(), e.getKey());
            }
        }
    }

    private void updateMasks(SameDiff graph, long step) {
        List<PrunableTensor> inputs = new ArrayList<>(selected.size());
        for (VariableSelection.Selected s : selected) {
            inputs.add(new PrunableTensor(s.name(), graph.getArrForVarName(s.name()), masks.get(s.name()), s.override()));
        }
        List<INDArray> computed = pruner.computeMasks(inputs, step, workspace);
        double targetSum = 0;
        long size = 0;
        long nonZeros = 0;
        for (int i = 0; i < inputs.size(); i++) {
            PrunableTensor in = inputs.get(i);
            INDArray mask = computed.get(i);
            INDArray old = masks.get(in.id());
            if (old != null || Arrays4j.countNonZero(mask) < mask.length()) {
                setMask(in.id(), mask, old);
                multiply(graph.getArrForVarName(in.id()), multipliers.get(in.id()), in.id());
            }
            targetSum += pruner.targetSparsity(in, step) * in.length();
            size += in.length();
            nonZeros += Arrays4j.countNonZero(graph.getArrForVarName(in.id()));
        }
        history.add(new SparsityEvent(step, targetSum / size, (double) (size - nonZeros) / size));
    }

    /**
     * Records {@code mask}, masks the weights in {@code sd} and zeroes the updater state wherever
     * {@code mask} or {@code old} (may be null) prunes.
     */
    private void setMask(String name, INDArray mask, INDArray old) {
        INDArray param = sd.getArrForVarName(name);
        INDArray multiplier = Nd4j.create(DataType.UINT8, mask.shape(), param.ordering());
        multiplier.assign(mask);
        masks.put(name, mask);
        multipliers.put(name, multiplier);
        multiply(param, multiplier, name);
        GradientUpdater<?> u = sd.getUpdaterMap() == null ? null : sd.getUpdaterMap().get(name);
        Map<String, INDArray> state = u == null ? null : u.getState();
        if (state == null) {
            return;
        }
        INDArray keep = old == null ? multiplier : multiplier.mul(old.castTo(DataType.UINT8));
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            INDArray s = e.getValue();
            if (s == null) {
                continue;
            }
            Checks.state(s.length() == param.length(),
                    "updater state '%s' of variable '%s' has %d elements but the variable has %d; Topiary cannot"
                            + " zero it at pruned positions",
                    e.getKey(), name, s.length(), param.length());
            INDArray cast = keep.castTo(s.dataType());
            if (Arrays.equals(s.shape(), param.shape())) {
                s.muli(cast);
            } else {
                s.muli(cast.reshape(param.ordering(), s.shape()));
            }
        }
    }

    /** {@code x *= multiplier} in place; same shape required. */
    private static void multiply(INDArray x, INDArray multiplier, String name) {
        if (!Arrays.equals(x.shape(), multiplier.shape())) {
            throw new IllegalStateException("variable '" + name + "' has shape " + Arrays.toString(x.shape())
                    + " but its mask has shape " + Arrays.toString(multiplier.shape())
                    + "; was the variable replaced after attaching? The masks fit the shape it had then: put back an"
                    + " array of that shape, or attach a new SameDiffPruning, which starts without masks.");
        }
        if (x.ordering() == multiplier.ordering() && HostMultiply.tryApply(x, multiplier)) {
            return;
        }
        x.muli(multiplier);
    }
}

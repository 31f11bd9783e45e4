package org.topiary.sparsity.dl4j.surgery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.surgery.Topology.Kind;
import org.topiary.sparsity.dl4j.surgery.Topology.Node;
import org.topiary.sparsity.internal.Checks;

/**
 * Which units of a model can be removed exactly, and the surgery that removes them ({@link
 * #apply()}).
 *
 * <p><b>Dead units.</b> A neuron of a {@code DenseLayer} or a filter of a 2-D {@code
 * ConvolutionLayer} is dead when all its incoming weights are exactly zero (column {@code j} of
 * {@code W [nIn, nOut]}, slice {@code j} of {@code W [nOut, nIn, kH, kW]}); it outputs the
 * constant {@code act(b_j)} for every example. Structured masks (weights and bias masked), group
 * lasso and plain unstructured pruning all leave such units.
 *
 * <p><b>Exact removal.</b> A dead unit is removed when its constant reaches only consumers that
 * absorb it exactly: a dense or output layer folds it into its bias ({@code b' = b + c·W[j,:]}),
 * also through batch normalization (inference statistics), activation, dropout and pooling layers,
 * a merge vertex or the CNN-to-feed-forward flattening; a convolution folds it only when it does
 * not pad (otherwise the unit stays unless its constant is 0). Units that feed an element-wise
 * vertex are coupled with the same unit of every other input of that vertex: a unit goes only when
 * it is dead in all of them (the others keep it, and the plan says why). Network outputs never
 * lose units. {@link LayerUnits#keptDead()} lists every dead unit that stays and why.
 *
 * <p>The shrunk model computes the same outputs as the source (with masks applied) up to float
 * summation order, in inference mode (batch normalization uses its running statistics).
 *
 * <pre>{@code
 * SurgeryPlan plan = SurgeryPlan.of(model);          // or of(model, pruningState), of(model, units)
 * ShrunkModel shrunk = plan.apply();
 * System.out.print(shrunk.report().toText());
 * }</pre>
 */
public final class SurgeryPlan {
    private final UnitAnalysis analysis;
    private final List<LayerUnits> layers;

    private SurgeryPlan(UnitAnalysis analysis) {
        this.analysis = analysis;
        this.layers = describe(analysis);
    }

    /**
     * Plans the removal of every dead unit of {@code model} (weights read as they are). The plan
     * keeps a reference to {@code model} and {@link #apply()} reads its params again: do not train
     * or change the model in between.
     *
     * @throws UnsupportedLayerException when the model holds a layer or vertex the surgery does
     *     not know
     */
    public static SurgeryPlan of(Model model) {
        Checks.notNull("model", model);
        return new SurgeryPlan(UnitAnalysis.of(Topology.of(model)));
    }

    /**
     * Plans on a copy of {@code model} with the masks of {@code state} multiplied into its params
     * (the model itself is not changed), so units whose incoming weights are all masked are dead.
     *
     * @throws IllegalArgumentException when a mask does not belong to a param of the model
     */
    public static SurgeryPlan of(Model model, PruningState state) {
        Checks.notNull("model", model);
        Checks.notNull("state", state);
        Model copy = copy(model);
        for (Map.Entry<String, INDArray> e : state.masks().entrySet()) {
            INDArray p = copy.paramTable().get(e.getKey());
            Checks.isTrue(p != null && java.util.Arrays.equals(p.shape(), e.getValue().shape()),
                    "the pruning state's mask '%s' does not fit a param of the model (params: %s); use the state saved with this model",
                    e.getKey(), copy.paramTable().keySet());
            p.muli(e.getValue().castTo(p.dataType()));
        }
        copy.params().addi(0.0); // -0.0 becomes +0.0
        return of(copy);
    }

    /**
     * Plans the removal of the listed units: on a copy of {@code model}, their incoming weights are
     * set to zero (their bias is kept and folded into the consumers, so the result equals the model
     * with those incoming weights zeroed), then every dead unit is planned as in {@link #of(Model)}.
     *
     * @param units unit indices per layer id (MultiLayerNetwork: the layer index as a string,
     *     ComputationGraph: the vertex name) of dense and convolution layers
     * @throws IllegalArgumentException for an unknown layer, a layer without units or an index out
     *     of range
     */
    public static SurgeryPlan of(Model model, Map<String, ? extends Collection<Integer>> units) {
        Checks.notNull("model", model);
        Checks.notNull("units", units);
        Model copy = copy(model);
        Topology t = Topology.of(copy);
        for (Map.Entry<String, ? extends Collection<Integer>> e : units.entrySet()) {
            Node n = t.node(e.getKey());
            Checks.isTrue(n != null && n.kind().producesUnits(),
                    "units: layer '%s' is not a DenseLayer or ConvolutionLayer of the model; layers with units: %s",
                    e.getKey(), t.order().stream().filter(x -> x.kind().producesUnits()).map(Node::id).toList());
            long nOut = ((FeedForwardLayer) n.conf()).getNOut();
            INDArray w = n.impl().getParam("W");
            for (int j : e.getValue()) {
                Checks.isTrue(j >= 0 && j < nOut, "units: index %d of layer '%s' must be in [0, %d)", j, e.getKey(), nOut);
                if (n.kind() == Kind.DENSE) {
                    w.get(NDArrayIndex.all(), NDArrayIndex.point(j)).assign(0);
                } else {
                    w.get(NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
                }
            }
        }
        return of(copy);
    }

    private static Model copy(Model model) {
        if (model instanceof MultiLayerNetwork n) {
            return n.clone();
        }
        if (model instanceof ComputationGraph g) {
            return g.clone();
        }
        throw new IllegalArgumentException("model must be a MultiLayerNetwork or a ComputationGraph, found " + model.getClass().getName());
    }

    /** Units per dense, output, convolution and batch-normalization layer, in topological order. */
    public List<LayerUnits> layers() {
        return layers;
    }

    /** Units the surgery removes over all layers. */
    public long removedUnits() {
        return layers.stream().mapToLong(l -> l.removed().size()).sum();
    }

    /** Dead units that stay over all layers (see {@link LayerUnits#keptDead()} for why). */
    public long keptDeadUnits() {
        return layers.stream().mapToLong(l -> l.keptDead().size()).sum();
    }

    /**
     * Builds the smaller model: a new configuration of the same kind with smaller {@code nIn} /
     * {@code nOut} (and flattened channel counts), the kept params copied, batch-norm params and
     * running statistics of removed channels dropped, and removed units' constants folded into the
     * consumers' biases. The source model is not changed; the new model has fresh updater state.
     * Group-lasso regularizers ({@code GroupLasso}, {@code ProximalGroupLasso}) of resized layers
     * are dropped from the new configuration, since their group layout names the old shape; other
     * regularizers are kept.
     *
     * @throws IllegalStateException when a layer would keep none of its units
     */
    public ShrunkModel apply() {
        for (LayerUnits l : layers) {
            if (l.before() > 0 && l.after() == 0) {
                throw new IllegalStateException("layer '" + l.layer() + "' (" + l.type() + ") would keep none of its "
                        + l.before() + " units: every one is dead (no incoming or no outgoing non-zero weight), so the"
                        + " network's output no longer depends on its input through it and DL4J cannot build a layer"
                        + " with 0 units. Prune that layer less (a per-layer override or a lower target) and train again.");
            }
        }
        Model shrunk = Shrinker.shrink(analysis);
        return new ShrunkModel(shrunk, new ShrinkReport(analysis.topology().model().numParams(), shrunk.numParams(), layers));
    }

    private static List<LayerUnits> describe(UnitAnalysis a) {
        List<LayerUnits> out = new ArrayList<>();
        for (Node n : a.topology().order()) {
            if (n.kind() != Kind.DENSE && n.kind() != Kind.OUTPUT && n.kind() != Kind.CONV && n.kind() != Kind.BATCHNORM) {
                continue;
            }
            long units = a.channels(n.id());
            boolean[] removed = a.removed(n.id());
            boolean[] dead = a.dead(n.id());
            List<Integer> gone = new ArrayList<>();
            Map<Integer, String> kept = new HashMap<>();
            for (int j = 0; j < units; j++) {
                if (removed != null && removed[j]) {
                    gone.add(j);
                } else if (dead != null && dead[j]) {
                    kept.put(j, a.reason(n.id(), j));
                }
            }
            out.add(LayerUnits.of(n.id(), n.conf().getClass().getSimpleName(), units, gone, kept));
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SurgeryPlan{");
        for (LayerUnits l : layers) {
            sb.append(l.layer()).append(": ").append(l.before()).append("->").append(l.after());
            if (!l.keptDead().isEmpty()) {
                sb.append(" (").append(l.keptDead().size()).append(" dead kept)");
            }
            sb.append(", ");
        }
        return sb.append("removed=").append(removedUnits()).append('}').toString();
    }
}

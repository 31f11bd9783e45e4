package org.topiary.distill.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.topiary.distill.Hint;
import org.topiary.distill.KdDataSetIterator;
import org.topiary.distill.TeacherSource;
import org.topiary.distill.conf.KdLoss;

/**
 * The training graph for feature distillation: a copy of the student ComputationGraph with, per
 * {@link Hint} {@code i}, an extra output {@code kdhint<i>} on the student layer — a LossLayer
 * (MSE, weighted) when the widths match, else an OutputLayer (identity, MSE) whose weights are the
 * learned projection. Its output layer is in the KD form. Labels per batch: {@code [hard | teacher
 * logits]} for the student's output, then the teacher layers' activations (inference mode). CG sums
 * the output scores, so the objective is {@code KD + Σ_i β_i · MSE_i}. After training, {@link
 * #copyBack()} copies the student layers' params (and the iteration and epoch counts) into the
 * original student; the hint layers are dropped.
 */
public final class HintGraph {
    /** Prefix of the extra output layers' names. */
    public static final String PREFIX = "kdhint";

    private final ComputationGraph student;
    private final ComputationGraph graph;
    private final Model teacher;
    private final List<Hint> hints;
    private final int[] teacherLayerIndex;

    private HintGraph(ComputationGraph student, ComputationGraph graph, Model teacher, List<Hint> hints, int[] idx) {
        this.student = student;
        this.graph = graph;
        this.teacher = teacher;
        this.hints = hints;
        this.teacherLayerIndex = idx;
    }

    /** Checks every hint against both models; returns the hint output names. */
    public static List<String> validate(Model student, Model teacher, List<Hint> hints) {
        if (!(student instanceof ComputationGraph cg)) {
            throw new IllegalArgumentException(
                    "feature distillation (hints) needs a ComputationGraph student, found "
                            + (student == null ? "null" : student.getClass().getSimpleName())
                            + "; convert a MultiLayerNetwork with net.toComputationGraph()");
        }
        if (!(teacher instanceof MultiLayerNetwork) && !(teacher instanceof ComputationGraph)) {
            throw new IllegalArgumentException(
                    "hints need the teacher network itself (MultiLayerNetwork or ComputationGraph), found "
                            + (teacher == null ? "null" : teacher.getClass().getSimpleName()));
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hints.size(); i++) {
            Hint h = hints.get(i);
            widthOf(studentLayer(cg, h.studentLayer()), "student", h.studentLayer());
            widthOf(teacherLayer(teacher, h.teacherLayer()), "teacher", h.teacherLayer());
            String name = PREFIX + i;
            if (cg.getConfiguration().getVertices().containsKey(name)) {
                throw new IllegalArgumentException(
                        "the student already has a vertex named '" + name + "', which hint " + i + " needs; rename it");
            }
            names.add(name);
        }
        return names;
    }

    /** Builds the training graph; the student's output must be a convertible head. */
    public static HintGraph build(ComputationGraph student, Model teacher, List<Hint> hints, KdLoss loss) {
        validate(student, teacher, hints);
        OutputHead out = OutputHead.of(student, "student");
        IUpdater updater = ((BaseLayer) out.conf()).getIUpdater();
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(student);
        List<String> outputs = new ArrayList<>(student.getConfiguration().getNetworkOutputs());
        int[] idx = new int[hints.size()];
        for (int i = 0; i < hints.size(); i++) {
            Hint h = hints.get(i);
            long ws = widthOf(studentLayer(student, h.studentLayer()), "student", h.studentLayer());
            long wt = widthOf(teacherLayer(teacher, h.teacherLayer()), "teacher", h.teacherLayer());
            idx[i] = teacher instanceof MultiLayerNetwork n ? mlnIndex(n, h.teacherLayer()) : -1;
            INDArray weights = Nd4j.valueArrayOf(new long[] {1, wt}, h.weight(), student.params().dataType());
            Layer layer;
            if (ws == wt) {
                layer = new LossLayer.Builder(new LossMSE(weights)).activation(Activation.IDENTITY).build();
            } else {
                OutputLayer.Builder projection = new OutputLayer.Builder(new LossMSE(weights))
                        .nIn(ws).nOut(wt).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER);
                if (updater != null) {
                    projection.updater(updater.clone());
                }
                layer = projection.build();
            }
            b.addLayer(PREFIX + i, layer, h.studentLayer());
            outputs.add(PREFIX + i);
        }
        ComputationGraph graph = b.setOutputs(outputs.toArray(String[]::new)).build();
        StudentHead.of(graph, out.name()).toKdForm(loss);
        return new HintGraph(student, graph, teacher, List.copyOf(hints), idx);
    }

    /** The training graph. */
    public ComputationGraph graph() {
        return graph;
    }

    /** Batches of {@code train} with KD labels from {@code logits} and hint targets from the teacher. */
    public MultiDataSetIterator iterator(DataSetIterator train, TeacherSource logits) {
        return new Batches(train, logits);
    }

    /** Copies the student layers' params and the iteration and epoch counts back into the student. */
    public void copyBack() {
        for (org.deeplearning4j.nn.api.Layer l : student.getLayers()) {
            String name = l.conf().getLayer().getLayerName();
            if (l.numParams() > 0) {
                l.params().assign(graph.getLayer(name).params());
            }
        }
        student.getConfiguration().setIterationCount(graph.getConfiguration().getIterationCount());
        student.getConfiguration().setEpochCount(graph.getConfiguration().getEpochCount());
    }

    INDArray[] teacherActivations(INDArray features) {
        INDArray[] out = new INDArray[hints.size()];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (teacher instanceof MultiLayerNetwork n) {
                int max = Arrays.stream(teacherLayerIndex).max().orElse(0);
                List<INDArray> acts = n.feedForwardToLayer(max, features, false);
                for (int i = 0; i < out.length; i++) {
                    out[i] = acts.get(teacherLayerIndex[i] + 1);
                }
            } else {
                Map<String, INDArray> acts = ((ComputationGraph) teacher).feedForward(new INDArray[] {features}, false);
                for (int i = 0; i < out.length; i++) {
                    out[i] = acts.get(hints.get(i).teacherLayer());
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i].rank() != 2) {
                throw new IllegalArgumentException(
                        "teacher layer '" + hints.get(i).teacherLayer() + "' gives activations of shape "
                                + Arrays.toString(out[i].shape()) + "; hints need 2-D activations [batch, width]");
            }
        }
        return out;
    }

    private static Layer studentLayer(ComputationGraph cg, String name) {
        org.deeplearning4j.nn.api.Layer l = OutputHead.layerOrNull(cg, name);
        if (l == null) {
            throw new IllegalArgumentException(
                    "hint student layer '" + name + "' is not a layer of the student; layers: " + layerNames(cg));
        }
        return l.conf().getLayer();
    }

    private static Layer teacherLayer(Model teacher, String name) {
        if (teacher instanceof ComputationGraph cg) {
            org.deeplearning4j.nn.api.Layer l = OutputHead.layerOrNull(cg, name);
            if (l == null) {
                throw new IllegalArgumentException(
                        "hint teacher layer '" + name + "' is not a layer of the teacher; layers: " + layerNames(cg));
            }
            return l.conf().getLayer();
        }
        MultiLayerNetwork n = (MultiLayerNetwork) teacher;
        return n.getLayerWiseConfigurations().getConf(mlnIndex(n, name)).getLayer();
    }

    private static int mlnIndex(MultiLayerNetwork n, String name) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n.getnLayers(); i++) {
            String ln = n.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName();
            if (name.equals(ln) || name.equals(String.valueOf(i))) {
                return i;
            }
            names.add(i + (ln == null ? "" : " (" + ln + ")"));
        }
        throw new IllegalArgumentException(
                "hint teacher layer '" + name + "' is not a layer of the teacher; layers (index or name): " + names);
    }

    private static long widthOf(Layer conf, String role, String name) {
        if (conf instanceof FeedForwardLayer ff && ff.getNOut() > 0 && !(conf instanceof LossLayer)) {
            if (conf instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer
                    || conf instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) {
                throw new IllegalArgumentException(
                        "hint " + role + " layer '" + name + "' (" + conf.getClass().getSimpleName() + ") has"
                                + " activations of rank > 2; hints need 2-D activations [batch, width]: use a dense"
                                + " layer, or a layer after global pooling");
            }
            return ff.getNOut();
        }
        throw new IllegalArgumentException(
                "hint " + role + " layer '" + name + "' (" + conf.getClass().getSimpleName() + ") has no known"
                        + " output width; hints need feed-forward layers with 2-D activations [batch, width]");
    }

    private static List<String> layerNames(ComputationGraph cg) {
        List<String> names = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer l : cg.getLayers()) {
            names.add(l.conf().getLayer().getLayerName());
        }
        return names;
    }

    /**
     * ND4J's DataSet-to-MultiDataSet adapter (reset, async and reset support, hasNext and the
     * pre-processor are the wrapped iterator's and the adapter's) with another batch conversion:
     * the KD labels first, then one hint target per hint.
     */
    private final class Batches extends MultiDataSetIteratorAdapter {
        private static final long serialVersionUID = 1L;
        private final DataSetIterator base;
        private final transient TeacherSource logits;

        Batches(DataSetIterator base, TeacherSource logits) {
            super(base);
            this.base = base;
            this.logits = logits;
        }

        @Override
        public MultiDataSet next(int num) {
            return make(base.next(num));
        }

        @Override
        public MultiDataSet next() {
            return make(base.next());
        }

        private MultiDataSet make(org.nd4j.linalg.dataset.api.DataSet batch) {
            DataSet kd = KdDataSetIterator.widen(batch, logits);
            INDArray[] targets = teacherActivations(batch.getFeatures());
            INDArray[] labels = new INDArray[1 + targets.length];
            labels[0] = kd.getLabels();
            for (int i = 0; i < targets.length; i++) {
                labels[i + 1] = targets[i].castTo(kd.getLabels().dataType());
            }
            INDArray[] labelMasks = kd.getLabelsMaskArray() == null ? null : new INDArray[labels.length];
            if (labelMasks != null) {
                labelMasks[0] = kd.getLabelsMaskArray();
            }
            MultiDataSet m = new org.nd4j.linalg.dataset.MultiDataSet(
                    new INDArray[] {batch.getFeatures()}, labels,
                    batch.getFeaturesMaskArray() == null ? null : new INDArray[] {batch.getFeaturesMaskArray()},
                    labelMasks);
            MultiDataSetPreProcessor preProcessor = getPreProcessor();
            if (preProcessor != null) {
                preProcessor.preProcess(m);
            }
            return m;
        }
    }
}

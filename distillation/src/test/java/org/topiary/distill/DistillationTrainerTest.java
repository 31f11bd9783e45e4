package org.topiary.distill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;
import org.topiary.distill.conf.KdLoss;

class DistillationTrainerTest {
    private static final DataSet TRAIN = Fixtures.blobs(512, 21);
    private static final DataSet TEST = Fixtures.blobs(200, 22);
    private static final MultiLayerNetwork TEACHER = Fixtures.trainedTeacher(TRAIN);

    /** Records the student's output activation and loss seen at every iteration. */
    private static final class HeadProbe extends BaseTrainingListener {
        final List<String> seen = new ArrayList<>();
        int epochEnds;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            OutputLayer head = (OutputLayer) ((MultiLayerNetwork) model).getOutputLayer().conf().getLayer();
            seen.add(head.getActivationFn() + "/" + head.getLossFn().getClass().getSimpleName());
        }

        @Override
        public void onEpochEnd(Model model) {
            epochEnds++;
        }
    }

    @Test
    void trainsInTheKdFormAndReturnsTheStudentWithItsSoftmaxHead() {
        MultiLayerNetwork student = Fixtures.mlp(6, 31);
        OutputLayer head = (OutputLayer) student.getLayerWiseConfigurations().getConf(1).getLayer();
        var originalLoss = head.getLossFn();
        HeadProbe probe = new HeadProbe();
        MultiLayerNetwork trained = DistillationTrainer.builder(student, TeacherSource.online(TEACHER))
                .optTemperature(3).optAlpha(0.3).optEpochs(4).optListeners(probe)
                .build()
                .fit(Fixtures.iterator(TRAIN, 32));

        assertThat(trained).isSameAs(student);
        assertThat(probe.seen).hasSize(64).allMatch(s -> s.equals("identity/KdLoss"));
        assertThat(probe.epochEnds).isEqualTo(4);
        assertThat(student.getIterationCount()).isEqualTo(64);
        assertThat(student.getEpochCount()).isEqualTo(4);
        assertThat(head.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
        assertThat(head.getLossFn()).isSameAs(originalLoss);
        assertThat(student.getListeners()).isEmpty();
        assertThat(student.evaluate(Fixtures.iterator(TEST, 100)).accuracy()).isGreaterThan(0.85);
    }

    @Test
    void onlineTeacherIsOnlyReadNeverTrained() {
        MultiLayerNetwork teacher = Fixtures.trainedTeacher(TRAIN);
        INDArray before = teacher.params().dup();
        int iterations = teacher.getIterationCount();
        DistillationTrainer.builder(Fixtures.mlp(6, 32), TeacherSource.online(teacher)).optEpochs(2).build()
                .fit(Fixtures.iterator(TRAIN, 32));
        assertThat(teacher.params()).isEqualTo(before);
        assertThat(teacher.getIterationCount()).isEqualTo(iterations);
    }

    @Test
    void kdStudentMatchesTheTeacherCloserThanItStarted() {
        MultiLayerNetwork student = Fixtures.mlp(6, 33);
        INDArray x = TEST.getFeatures();
        INDArray teacherTop = TEACHER.output(x, false).argMax(1);
        double agreementBefore = student.output(x, false).argMax(1).eq(teacherTop).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
        DistillationTrainer.builder(student, TeacherSource.cached(TeacherSource.online(TEACHER), Fixtures.iterator(TRAIN, 128)))
                .optTemperature(4).optAlpha(0.0).optEpochs(5).build()
                .fit(Fixtures.iterator(TRAIN, 32));
        double agreementAfter = student.output(x, false).argMax(1).eq(teacherTop).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber().doubleValue();
        assertThat(agreementAfter).isGreaterThan(0.85).isGreaterThan(agreementBefore);
    }

    @Test
    void graphStudentsTrainAndGetTheirHeadBack() {
        ComputationGraph student = Fixtures.graph(6, 34);
        DistillationTrainer.builder(student, TeacherSource.online(TEACHER)).optEpochs(4).build()
                .fit(Fixtures.iterator(TRAIN, 32));
        OutputLayer head = (OutputLayer) student.getLayer("out").conf().getLayer();
        assertThat(head.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
        assertThat(head.getLossFn()).isInstanceOf(LossMCXENT.class);
        assertThat(student.evaluate(Fixtures.iterator(TEST, 100)).accuracy()).isGreaterThan(0.85);
    }

    @Test
    void studentBuiltInTheKdFormEndsWithSoftmaxAndCrossEntropy() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(35).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(Fixtures.DIMS).nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().nIn(6).nOut(Fixtures.CLASSES).activation(Activation.IDENTITY).lossFunction(KdLoss.of(2, 0.5)).build())
                .build();
        MultiLayerNetwork student = new MultiLayerNetwork(conf);
        student.init();
        DistillationTrainer.builder(student, TeacherSource.online(TEACHER)).build().fit(Fixtures.iterator(TRAIN, 32));
        OutputLayer head = (OutputLayer) student.getOutputLayer().conf().getLayer();
        assertThat(head.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
        assertThat(head.getLossFn()).isInstanceOf(LossMCXENT.class);
    }

    @Test
    void negativeLogLikelihoodHeadsAreAccepted() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(36).updater(new Adam(0.01)).list()
                .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nIn(Fixtures.DIMS).nOut(Fixtures.CLASSES).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork student = new MultiLayerNetwork(conf);
        student.init();
        DistillationTrainer.builder(student, TeacherSource.online(TEACHER)).build().fit(Fixtures.iterator(TRAIN, 64));
        assertThat(((OutputLayer) student.getOutputLayer().conf().getLayer()).getLossFn()).isInstanceOf(LossNegativeLogLikelihood.class);
    }

    @Test
    void headAndListenersAreRestoredWhenTrainingFails() {
        MultiLayerNetwork student = Fixtures.mlp(6, 37);
        BaseTrainingListener failing = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                throw new IllegalStateException("boom");
            }
        };
        DistillationTrainer<MultiLayerNetwork> trainer =
                DistillationTrainer.builder(student, TeacherSource.online(TEACHER)).optListeners(failing).build();
        assertThatThrownBy(() -> trainer.fit(Fixtures.iterator(TRAIN, 32))).hasMessageContaining("boom");
        OutputLayer head = (OutputLayer) student.getOutputLayer().conf().getLayer();
        assertThat(head.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
        assertThat(student.getListeners()).isEmpty();
    }

    @Test
    void listenersAlreadyOnTheStudentRunOnceAndStay() {
        MultiLayerNetwork student = Fixtures.mlp(6, 38);
        HeadProbe own = new HeadProbe();
        student.addListeners(own);
        DistillationTrainer.builder(student, TeacherSource.online(TEACHER)).optListeners(own).build()
                .fit(Fixtures.iterator(TRAIN, 32));
        assertThat(own.seen).hasSize(16);
        assertThat(student.getListeners()).containsExactly(own);
    }

    @Test
    void teacherWithAnotherNumberOfClassesIsRejectedNamingBothShapes() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(Fixtures.DIMS).nOut(7).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork seven = new MultiLayerNetwork(conf);
        seven.init();
        assertThatThrownBy(() -> DistillationTrainer.builder(Fixtures.mlp(6, 39), TeacherSource.online(seven)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("teacher logits are [batch, 7]")
                .hasMessageContaining("the student's output layer 'layer1' (OutputLayer) is [batch, 4]");
    }

    @Test
    void nonClassifierHeadsAndBadSettingsAreRejected() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(Fixtures.DIMS).nOut(Fixtures.CLASSES).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork regression = new MultiLayerNetwork(conf);
        regression.init();
        assertThatThrownBy(() -> DistillationTrainer.builder(regression, TeacherSource.online(TEACHER)).build())
                .hasMessageContaining("the student's output layer 'layer0' (OutputLayer) has activation identity and loss LossMSE()")
                .hasMessageContaining("SOFTMAX with loss MCXENT");
        assertThatThrownBy(() -> DistillationTrainer.builder(Fixtures.mlp(6, 1), TeacherSource.online(TEACHER)).optTemperature(0).build())
                .hasMessage("temperature must be > 0 and finite, found 0");
        assertThatThrownBy(() -> DistillationTrainer.builder(Fixtures.mlp(6, 1), TeacherSource.online(TEACHER)).optAlpha(2).build())
                .hasMessage("alpha must be in [0, 1], found 2");
        assertThatThrownBy(() -> DistillationTrainer.builder(Fixtures.mlp(6, 1), TeacherSource.online(TEACHER)).optEpochs(0).build())
                .hasMessage("epochs must be > 0, found 0");
        assertThatThrownBy(() -> DistillationTrainer.builder(null, TeacherSource.online(TEACHER)))
                .hasMessage("student must not be null");
    }

    @Test
    void identityActivationDuringFitMeansLogitsWhoseSoftmaxIsTheRestoredOutput() {
        MultiLayerNetwork student = Fixtures.mlp(6, 40);
        DistillationTrainer.builder(student, TeacherSource.online(TEACHER)).build().fit(Fixtures.iterator(TRAIN, 32));
        INDArray probs = student.output(TEST.getFeatures(), false);
        OutputLayer head = (OutputLayer) student.getOutputLayer().conf().getLayer();
        head.setActivationFn(new ActivationIdentity());
        INDArray logits = student.output(TEST.getFeatures(), false);
        head.setActivationFn(new ActivationSoftmax());
        assertThat(org.nd4j.linalg.ops.transforms.Transforms.softmax(logits, true).sub(probs).amaxNumber().doubleValue())
                .isLessThan(1e-6);
    }
}

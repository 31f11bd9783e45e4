package org.topiary.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.distill.HardLabelEvaluation;
import org.topiary.distill.KdHeadListener;
import org.topiary.distill.KdDataSetIterator;
import org.topiary.distill.TeacherSource;
import org.topiary.distill.conf.KdLoss;
import org.topiary.examples.bench.KdNets;
import org.topiary.examples.progress.ProgressReporter;
import org.topiary.examples.train.ModelFactory;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.PrunedRun;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.RunSpec;
import org.topiary.examples.train.TrainOptions;
import org.topiary.examples.train.Trainer;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Steps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code topiary distill}: trains a student on Fashion-MNIST with knowledge distillation from a
 * teacher model file (Hinton loss, {@link KdLoss}), optionally pruning it at the same time with the
 * FMNIST-GMP schedule. The teacher's logits are computed once and cached (or, with {@code
 * --teacher-mode online}, computed for every batch). The student is saved with its ordinary softmax
 * head, so every other command and plain DL4J can use it.
 */
@Command(
        name = "distill",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "Train a student with knowledge distillation from a teacher model file: loss"
                    + " α·CE + (1-α)·T²·KL(teacher/T || student/T). With --prune S the student is"
                    + " also pruned to S (layer-wise, cubic schedule from the end of epoch 1 to the"
                    + " end of epoch 7, masks every 100 steps).",
            ""
        })
public final class DistillCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DistillCommand.class);

    /** The students this command trains. */
    enum StudentChoice {
        lenet300100(ModelZoo::lenet300100),
        mlp32(KdNets.Student.MLP_32::build);

        final ModelFactory factory;

        StudentChoice(ModelFactory factory) {
            this.factory = factory;
        }
    }

    /** Where the teacher's logits come from during training. */
    enum TeacherMode {
        cached,
        online
    }

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--teacher", required = true, paramLabel = "FILE",
            description = "The teacher: a DL4J model zip (MultiLayerNetwork or ComputationGraph, flat 784"
                    + " inputs, 10 classes, softmax or identity output).")
    private Path teacherFile;

    @Option(names = "--extra-teachers", split = ",", paramLabel = "FILE,FILE",
            description = "More teacher model zips of the same kind: the student distils the mean of all teachers'"
                    + " logits (--teacher's included). On FMNIST-KD two CNN teachers gave LeNet-300-100 +0.75 pt"
                    + " where one gave +0.44 (docs/benchmarks.md). Default: none.")
    private List<Path> extraTeachers = List.of();

    @Option(names = "--train-teacher",
            description = "If --teacher does not exist, first train the FMNIST-KD CNN for --teacher-epochs"
                    + " epochs (seed --seed) and save it there.")
    private boolean trainTeacher;

    @Option(names = "--teacher-epochs", paramLabel = "N", defaultValue = "10",
            description = "Epochs of --train-teacher. Default: ${DEFAULT-VALUE}.")
    private int teacherEpochs;

    @Option(names = "--teacher-mode", paramLabel = "cached|online", defaultValue = "cached",
            description = "cached: teacher logits computed once for the training set; online: teacher run"
                    + " on every batch. Default: ${DEFAULT-VALUE}.")
    private TeacherMode teacherMode;

    @Option(names = "--student", paramLabel = "NAME", defaultValue = "lenet300100",
            description = "lenet300100 (784-300-100-10) or mlp32 (784-32-10). Default: ${DEFAULT-VALUE}.")
    private StudentChoice student;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "" + DEFAULT_TEMPERATURE,
            description = "Temperature T > 0. Default: ${DEFAULT-VALUE} (the FMNIST-KD protocol's; with two teachers"
                    + " T=2 was chosen on a validation split, with --prune 0.9 T=1 was better, docs/benchmarks.md).")
    private double temperature;

    @Option(names = "--alpha", paramLabel = "α", defaultValue = "" + DEFAULT_ALPHA,
            description = "Weight of the hard-label cross-entropy, in [0, 1]. Default: ${DEFAULT-VALUE}.")
    private double alpha;

    @Option(names = "--prune", paramLabel = "S", defaultValue = "0",
            description = "Also prune to this sparsity per layer, in [0, 1) (0: no pruning). Default: ${DEFAULT-VALUE}.")
    private double prune;

    /** T of the FMNIST-KD validation sweep (docs/benchmarks.md). */
    static final double DEFAULT_TEMPERATURE = 3.0;

    /** α of the FMNIST-KD validation sweep (docs/benchmarks.md). */
    static final double DEFAULT_ALPHA = 0.3;

    /** Creates the command; picocli fills its fields. */
    public DistillCommand() {}


    @Override
    public Integer call() {
        KdLoss loss = CliErrors.usage(spec, () -> KdLoss.of(temperature, alpha));
        if (!(prune >= 0 && prune < 1)) {
            throw new ParameterException(spec.commandLine(), "--prune must be in [0, 1), found " + prune);
        }
        if (!Files.isRegularFile(teacherFile) && !trainTeacher) {
            throw new ParameterException(spec.commandLine(), "--teacher: file not found: " + teacherFile
                    + "; give a DL4J model zip, or add --train-teacher to train the FMNIST-KD CNN into it first");
        }
        for (Path extra : extraTeachers) {
            if (!Files.isRegularFile(extra)) {
                throw new ParameterException(spec.commandLine(), "--extra-teachers: file not found: " + extra
                        + "; give DL4J model zips (--train-teacher trains only --teacher)");
            }
        }
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        if (!Files.isRegularFile(teacherFile)) {
            trainTeacher(data);
        }
        TeacherSource online = TeacherSource.online(teacherFile);
        if (!extraTeachers.isEmpty()) {
            List<TeacherSource> all = new ArrayList<>();
            all.add(online);
            extraTeachers.forEach(f -> all.add(TeacherSource.online(f)));
            online = TeacherSource.averaged(all.toArray(new TeacherSource[0]));
        }
        double teacherAccuracy = HardLabelEvaluation.evaluate(online, data.testIterator(1000)).accuracy();
        String teachers = extraTeachers.isEmpty() ? teacherFile.toString()
                : "mean logits of " + (1 + extraTeachers.size()) + " teachers (" + teacherFile + ", "
                        + extraTeachers.stream().map(Path::toString).collect(Collectors.joining(", ")) + ")";
        spec.commandLine().getOut().printf(Locale.ROOT, "Teacher: %s, test accuracy %.4f%n", teachers, teacherAccuracy);
        TeacherSource teacher = online;
        if (teacherMode == TeacherMode.cached) {
            long start = System.nanoTime();
            teacher = TeacherSource.cached(online, data.trainIterator(1000, common.seed()));
            LOG.info("teacher logits cached in {} s", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        }

        TrainOptions options = TrainOptions.of(common.epochs(), common.seed());
        long stepsPerEpoch = Steps.perEpoch(data.trainSize(), options.batchSize());
        String name = "kd-" + student.name() + (prune > 0 ? "-gmp-" + Math.round(prune * 100) : "");
        RunSpec run;
        if (prune > 0) {
            if (common.epochs() < 7) {
                throw new ParameterException(spec.commandLine(),
                        "--prune needs --epochs >= 7 (the schedule ends at the end of epoch 7), found " + common.epochs());
            }
            PruningConfig config = PruningConfig.gradual(prune, Steps.atEndOfEpoch(1, stepsPerEpoch),
                    Steps.atEndOfEpoch(7, stepsPerEpoch), 100);
            run = PrunedRun.of(name, student.factory, ctx -> config);
        } else {
            run = RunSpec.of(name, student.factory);
        }
        RunSpec pruned = run;
        RunSpec distilled = run.withListeners(ctx -> {
            List<TrainingListener> ls = new ArrayList<>();
            ls.add(KdHeadListener.of(ctx.model(), loss));
            ls.addAll(pruned.listeners().create(ctx));
            return ls;
        });
        TeacherSource teacherForTraining = teacher;
        Trainer trainer = Trainer.create(data.withTrainIterators(it -> KdDataSetIterator.wrap(it, teacherForTraining)), options, ProgressReporter.forConsole());
        RunResult result = trainer.train(distilled, session.outDir());
        session.finish(data, List.of(result));
        teacher.close();
        return TopiaryCli.EXIT_OK;
    }

    private void trainTeacher(TrainingData data) {
        spec.commandLine().getOut().println("Training the FMNIST-KD CNN teacher (" + teacherEpochs + " epochs) into "
                + teacherFile);
        TeacherFiles.trainAndSave(ModelZoo.smallCnn(common.seed()),
                data.trainIterator(TrainOptions.PROTOCOL_BATCH_SIZE, common.seed()), teacherEpochs, teacherFile);
    }
}

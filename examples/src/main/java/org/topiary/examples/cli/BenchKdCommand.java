package org.topiary.examples.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.topiary.examples.bench.DistillationBench;
import org.topiary.examples.data.FashionMnist;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench kd}: the FMNIST-KD benchmark ({@link DistillationBench}): a CNN teacher
 * (trained once into {@code --teacher} and reused), students LeNet-300-100 and 784-32-10 with and
 * without distillation paired by seed, prune + distill against GMP alone, and the epoch-time cost
 * of a cached and an online teacher.
 */
@Command(
        name = "kd",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "FMNIST-KD: CNN teacher; students LeNet-300-100 and 784-32-10 trained with and without"
                    + " knowledge distillation (same init and batch order per seed), prune + distill vs"
                    + " GMP 90%%, and the cost of a cached and an online teacher. The teacher takes about"
                    + " 4 minutes per epoch on 2 busy cores; it is trained once into --teacher and reused.",
            ""
        })
public final class BenchKdCommand implements Callable<Integer> {
    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--arms", split = ",", paramLabel = "ARM,ARM", defaultValue = "kd,pd,cost",
            description = "Arms: teacher (only train or load the teacher and report its test and validation"
                    + " accuracy), teacher-stats (teacher accuracy and confidence on training and test images), sweep"
                    + " (validation split), aug (shift augmentation and shift-averaged targets), kd, pd (prune +"
                    + " distill), cost. Default: ${DEFAULT-VALUE}.")
    private List<String> arms;

    @Option(names = "--seeds", split = ",", paramLabel = "N,N", defaultValue = "1,2,3",
            description = "Student seeds (init and batch order). Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--students", split = ",", paramLabel = "NAME,NAME", defaultValue = "lenet-300-100,784-32-10",
            description = "Students of the kd arm. Default: ${DEFAULT-VALUE}.")
    private List<String> students;

    @Option(names = "--teacher", paramLabel = "FILE", defaultValue = "kd-teacher.zip",
            description = "Teacher model file: loaded if it exists, else the CNN is trained and saved there."
                    + " Default: ${DEFAULT-VALUE}.")
    private Path teacher;

    @Option(names = "--extra-teachers", split = ",", paramLabel = "FILE,FILE",
            description = "Model files of more teachers (e.g. saved by --teacher with other --teacher-seed values):"
                    + " every KD arm then distils the mean of all teachers' logits. Default: none.")
    private List<Path> extraTeachers = List.of();

    @Option(names = "--teacher-epochs", paramLabel = "N", defaultValue = "10",
            description = "Epochs of a teacher trained here. Default: ${DEFAULT-VALUE}.")
    private int teacherEpochs;

    @Option(names = "--teacher-seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of a teacher trained here. Default: ${DEFAULT-VALUE}.")
    private long teacherSeed;

    @Option(names = "--teacher-train-on", paramLabel = "all|split", defaultValue = "all",
            description = "What a teacher trained here trains on: all training images, or only the training part"
                    + " (90%%) of the validation split of --split-seed, so that validation accuracies of KD students"
                    + " are not inflated by a teacher that saw the validation images. Default: ${DEFAULT-VALUE}.")
    private String teacherTrainOn;

    @Option(names = "--split-seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the class-stratified 90/10 validation split (sweep, aug --aug-on validation,"
                    + " --teacher-train-on split, the teacher's validation accuracy). Default: ${DEFAULT-VALUE}.")
    private long splitSeed;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "3",
            description = "T of the kd arm. Default: ${DEFAULT-VALUE}.")
    private double temperature;

    @Option(names = "--alpha", paramLabel = "α", defaultValue = "0.3",
            description = "α (hard-label weight) of the kd arm. Default: ${DEFAULT-VALUE}.")
    private double alpha;

    @Option(names = "--pd-temperature", paramLabel = "T", defaultValue = "1",
            description = "T of the pd arm. Default: ${DEFAULT-VALUE}.")
    private double pdTemperature;

    @Option(names = "--pd-alpha", paramLabel = "α", defaultValue = "0.3",
            description = "α of the pd arm. Default: ${DEFAULT-VALUE}.")
    private double pdAlpha;

    @Option(names = "--pd-kd-epochs", paramLabel = "FIRST-LAST", defaultValue = "1-10",
            description = "Epochs (1-based) of the pd arm that distil; the others use cross-entropy."
                    + " Default: ${DEFAULT-VALUE}.")
    private String pdKdEpochs;

    @Option(names = "--sweep", paramLabel = "kd|pd", defaultValue = "kd",
            description = "What the sweep arm tunes. Default: ${DEFAULT-VALUE}.")
    private String sweep;

    @Option(names = "--sweep-t", split = ",", paramLabel = "T,T", defaultValue = "1,2,3,4",
            description = "Temperatures of the sweep. Default: ${DEFAULT-VALUE}.")
    private List<Double> sweepT;

    @Option(names = "--sweep-alpha", split = ",", paramLabel = "α,α", defaultValue = "0.1,0.3,0.5",
            description = "α values of the sweep. Default: ${DEFAULT-VALUE}.")
    private List<Double> sweepAlpha;

    @Option(names = "--cost-reps", paramLabel = "N", defaultValue = "3",
            description = "Interleaved rounds of the cost arm. Default: ${DEFAULT-VALUE}.")
    private int costReps;

    @Option(names = "--shift-radius", paramLabel = "PX", defaultValue = "1",
            description = "aug arm: translations of up to PX pixels in each direction, (2·PX+1)² shifts. Default:"
                    + " ${DEFAULT-VALUE}.")
    private int shiftRadius;

    @Option(names = "--shift-pattern", paramLabel = "square|cross", defaultValue = "square",
            description = "aug arm: all shifts within the radius (square) or only those along one axis (cross,"
                    + " 1 + 4·PX shifts). Default: ${DEFAULT-VALUE}.")
    private String shiftPattern;

    @Option(names = "--shift-cache", paramLabel = "FILE",
            description = "aug arm: file of the teacher's logits of every shifted training image; opened if it"
                    + " exists (it must have been built with the same --shift-radius and teacher), else built"
                    + " there. Default: built in memory.")
    private Path shiftCache;

    @Option(names = "--aug-on", paramLabel = "validation|test", defaultValue = "test",
            description = "aug arm: train on all training images and score the test set, or train on 90%% and"
                    + " score the 10%% validation split. Default: ${DEFAULT-VALUE}.")
    private String augOn;

    @Option(names = "--aug-arms", split = ",", paramLabel = "ARM,ARM", defaultValue = "plain,kd,kd-tta,plain-shift,kd-shift",
            description = "aug arm: students to train. Default: ${DEFAULT-VALUE}.")
    private List<String> augArms;

    @Mixin private MaxBatchesOption maxBatches;

    /** Creates the command; picocli fills its fields. */
    public BenchKdCommand() {}


    @Override
    public Integer call() {
        DistillationBench.Options options = CliErrors.usage(spec, () -> {
            int[] pdEpochs = DistillationBench.Options.epochRange(pdKdEpochs);
            return new DistillationBench.Options(new LinkedHashSet<>(arms), seeds, common.epochs(), teacherEpochs,
                    teacherSeed, teacher, extraTeachers, teacherTrainOn, splitSeed, students, temperature, alpha, pdTemperature, pdAlpha, pdEpochs[0], pdEpochs[1],
                    sweep, sweepT, sweepAlpha, costReps, shiftRadius, shiftPattern, shiftCache, augOn, augArms, null, false, maxBatches.value(), null);
        });
        CommandSession session = CommandSession.start(spec, common);
        FashionMnist data = session.loadFashionMnist();
        DistillationBench.Result result = DistillationBench.run(data, options);
        String table = result.toMarkdown();
        session.finishBench("bench-kd.md", "", table, result::toJson);
        return TopiaryCli.EXIT_OK;
    }
}

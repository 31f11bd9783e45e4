package org.topiary.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import org.deeplearning4j.datasets.iterator.EarlyTerminationDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.distill.CacheOptions;
import org.topiary.distill.DistillationTrainer;
import org.topiary.distill.ImageShifts;
import org.topiary.distill.ShiftedDataSetIterator;
import org.topiary.distill.TeacherSource;
import org.topiary.examples.backend.MachineInfo;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.data.LabeledImages;
import org.topiary.examples.data.TrainValidationSplit;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningListener;

/**
 * The FMNIST-KD protocol ({@code DESIGN.md}) on Fashion-MNIST: a small CNN teacher, students
 * LeNet-300-100 and 784-32-10 trained with and without knowledge distillation, prune + distill,
 * and the cost of distillation.
 *
 * <ul>
 *   <li><b>teacher</b>: {@link KdNets#teacher} trained {@code teacherEpochs} epochs (Adam 1e-3,
 *       batch 128) with seed {@code teacherSeed}, once, saved to {@code teacherFile} and reused
 *       when that file exists; its logits on the 60,000 training images are cached once
 *       ({@link TeacherSource#cached}) and every KD arm reads the cache.
 *       With {@code --teacher-train-on split} a teacher trained here sees only the training part
 *       of the validation split ({@code --split-seed}), so validation accuracies of KD students
 *       are not inflated by a teacher that learnt the validation images. Its test and validation
 *       accuracies (and, with extra teachers, those of the mean of all teachers' logits) are
 *       always reported; the arm {@code teacher} does only that.
 *   <li><b>kd</b>: per seed and student, {@code plain} (softmax + cross-entropy) and {@code kd}
 *       ({@link DistillationTrainer}, T, α) from the same initialisation and batch order
 *       ({@code FashionMnist.trainIterator(128, seed)}), {@code epochs} epochs each; test accuracy.
 *   <li><b>pd</b>: per seed, LeNet-300-100 with the FMNIST-GMP 90% schedule ({@code
 *       PruningConfig.gradual(0.9, 469, 3283, 100)}, scaled to the steps per epoch on other data
 *       sizes): {@code gmp} (plain loss) and {@code gmp-kd} (the same {@code PruningListener}
 *       inside the distillation trainer, distilling through the whole schedule, T and α of
 *       {@code pd}); test accuracy and exact-zero sparsity.
 *   <li><b>cost</b>: LeNet-300-100 epochs interleaved in one run, plain / KD with the cached
 *       teacher / KD with the online teacher ({@code output(x, false)} per batch); ratios of
 *       median epoch times to the plain one.
 *   <li><b>teacher-stats</b>: the teacher's accuracy and mean max probability at T = 1..4 on the
 *       training images (the cached logits KD uses, and with {@code shiftCache} their mean over
 *       the shifts) and on the test images: how much "dark knowledge" its targets carry.
 *   <li><b>aug</b>: per seed, LeNet-300-100: {@code plain}, {@code kd}, {@code kd-tta} (targets
 *       averaged over the shifts), {@code plain-shift} (random one-shift-per-example translations,
 *       {@link ShiftedDataSetIterator}) and {@code kd-shift} (the same shifted images with the
 *       teacher's logits of each shifted image: consistent distillation), all KD arms reading one
 *       cache of every shifted copy ({@link CacheOptions#withShifts}); on the test set or, with
 *       {@code --aug-on validation}, on the split (arms prefixed {@code val-}).
 *   <li><b>sweep</b>: model selection on a stratified 10% validation split of the training set
 *       (the test set is not used): LeNet-300-100, every seed, plain and every (T, α) of the grid,
 *       for {@code kd} or {@code pd} ({@code --sweep kd|pd}).
 * </ul>
 *
 * <pre>{@code
 * DistillationBench.Result r = DistillationBench.run("--arms", "kd,pd,cost", "--json", "kd.json");
 * System.out.println(r.toMarkdown());
 * }</pre>
 *
 * <p>Arguments (all optional): {@code --arms kd,pd,cost,sweep} (and {@code teacher}: only
 * train or load the teacher and report its accuracies), {@code --seeds 1,2,3}, {@code
 * --epochs 10}, {@code --teacher-epochs 10}, {@code --teacher-seed 1}, {@code --teacher-train-on
 * all|split} (a teacher trained here sees all training images or only the training part of the
 * split), {@code --split-seed 1} (the stratified 90/10 validation split of sweep, aug on
 * validation and the teacher's validation accuracy), {@code --teacher FILE}
 * (default {@code kd-teacher.zip}), {@code --extra-teachers FILE,FILE} (an ensemble: every KD arm
 * reads the mean of all teachers' logits), {@code --students lenet-300-100,784-32-10}, {@code
 * --temperature T} {@code --alpha α} (kd), {@code --pd-temperature T} {@code --pd-alpha α} {@code --pd-kd-epochs 1-10} (pd: the
 * epochs, 1-based, that distil; the others use the plain loss),
 * {@code --sweep kd|pd}, {@code --sweep-t 2,4,8}, {@code --sweep-alpha 0.1,0.5}, {@code
 * --cost-reps 3}, {@code --shift-radius 1}, {@code --shift-pattern square|cross}, {@code
 * --shift-cache FILE} (opened if it exists, else written), {@code --aug-on test|validation},
 * {@code --aug-arms plain,kd,kd-tta,plain-shift,kd-shift}, {@code --data DIR}, {@code --embedded}, {@code --max-batches N} (per epoch,
 * smoke tests), {@code --json FILE}.
 */
public final class DistillationBench {
    /** The arms, in run order. */
    public static final List<String> ARMS = List.of("teacher", "teacher-stats", "sweep", "aug", "kd", "pd", "cost");

    /** What a teacher trained here trains on: all training images, or the training part of the split. */
    public static final List<String> TEACHER_TRAIN_ON = List.of("all", "split");

    /** The fraction of each class of the training images the validation split holds out. */
    public static final double VALIDATION_FRACTION = 0.1;

    /** The students of the {@code aug} arm, in run order. */
    public static final List<String> AUG_ARMS = List.of("plain", "kd", "kd-tta", "plain-shift", "kd-shift");

    static final int BATCH = 128;
    private static final Logger LOG = LoggerFactory.getLogger(DistillationBench.class);

    private DistillationBench() {}

    /** What to run. */
    public record Options(
            Set<String> arms,
            List<Long> seeds,
            int epochs,
            int teacherEpochs,
            long teacherSeed,
            Path teacherFile,
            List<Path> extraTeachers,
            String teacherTrainOn,
            long splitSeed,
            List<String> students,
            double temperature,
            double alpha,
            double pdTemperature,
            double pdAlpha,
            int pdKdFirstEpoch,
            int pdKdLastEpoch,
            String sweep,
            List<Double> sweepTemperatures,
            List<Double> sweepAlphas,
            int costReps,
            int shiftRadius,
            String shiftPattern,
            Path shiftCache,
            String augOn,
            List<String> augArms,
            Path dataDir,
            boolean embedded,
            int maxBatches,
            Path json) {

        /** Validates every field; messages name the option. */
        public Options {
            arms = new LinkedHashSet<>(arms);
            for (String arm : arms) {
                if (!ARMS.contains(arm)) {
                    throw new IllegalArgumentException("unknown arm '" + arm + "'; arms: " + ARMS);
                }
            }
            students = List.copyOf(students);
            students.forEach(KdNets.Student::byId);
            extraTeachers = List.copyOf(extraTeachers);
            for (Path p : extraTeachers) {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("extra teacher " + p + " not found: --extra-teachers takes model"
                            + " files saved earlier (e.g. by --teacher with another --teacher-seed)");
                }
            }
            if (!TEACHER_TRAIN_ON.contains(teacherTrainOn)) {
                throw new IllegalArgumentException("teacherTrainOn must be one of " + TEACHER_TRAIN_ON + ", found '"
                        + teacherTrainOn + "': 'split' trains the teacher on the training part of the validation split");
            }
            seeds = List.copyOf(seeds);
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("seeds must not be empty");
            }
            if (!sweep.equals("kd") && !sweep.equals("pd")) {
                throw new IllegalArgumentException("sweep must be kd or pd, found " + sweep);
            }
            if (epochs < 1 || teacherEpochs < 1 || costReps < 1) {
                throw new IllegalArgumentException("epochs, teacherEpochs and costReps must be >= 1, found " + epochs
                        + ", " + teacherEpochs + ", " + costReps);
            }
            if (pdKdFirstEpoch < 1 || pdKdLastEpoch < pdKdFirstEpoch) {
                throw new IllegalArgumentException("pd KD epochs must satisfy 1 <= first <= last, found "
                        + pdKdFirstEpoch + "-" + pdKdLastEpoch);
            }
            org.topiary.distill.conf.KdLoss.of(temperature, alpha);
            org.topiary.distill.conf.KdLoss.of(pdTemperature, pdAlpha);
            if (shiftRadius < 1 || shiftRadius > 3) {
                throw new IllegalArgumentException("shiftRadius must be in 1..3 pixels, found " + shiftRadius);
            }
            if (!shiftPattern.equals("square") && !shiftPattern.equals("cross")) {
                throw new IllegalArgumentException("shiftPattern must be square or cross, found " + shiftPattern);
            }
            if (!augOn.equals("validation") && !augOn.equals("test")) {
                throw new IllegalArgumentException("augOn must be validation or test, found " + augOn);
            }
            augArms = List.copyOf(augArms);
            for (String a : augArms) {
                if (!AUG_ARMS.contains(a)) {
                    throw new IllegalArgumentException("unknown aug arm '" + a + "'; aug arms: " + AUG_ARMS);
                }
            }
        }

        /**
         * The shift set of the {@code aug} arm: every translation of at most {@code shiftRadius}
         * pixels ({@code square}) or only those along one axis ({@code cross}).
         */
        public ImageShifts shifts() {
            return shiftPattern.equals("cross")
                    ? ImageShifts.cross(1, LabeledImages.ROWS, LabeledImages.COLUMNS, shiftRadius)
                    : ImageShifts.square(1, LabeledImages.ROWS, LabeledImages.COLUMNS, shiftRadius);
        }

        /** Parses {@code FIRST-LAST} (1-based epochs, inclusive). */
        public static int[] epochRange(String v) {
            String[] ab = v.split("-");
            if (ab.length != 2) {
                throw new IllegalArgumentException("--pd-kd-epochs needs FIRST-LAST (1-based), found " + v);
            }
            return new int[] {Integer.parseInt(ab[0].trim()), Integer.parseInt(ab[1].trim())};
        }

        /** The protocol's defaults (T and α chosen by the validation sweep in docs/benchmarks.md). */
        public static Options defaults() {
            return new Options(
                    new LinkedHashSet<>(List.of("kd", "pd", "cost")), List.of(1L, 2L, 3L), 10, 10, 1,
                    Path.of("kd-teacher.zip"), List.of(), "all", 1, List.of("lenet-300-100", "784-32-10"), 3.0, 0.3, 1.0, 0.3, 1, 10, "kd",
                    List.of(1.0, 2.0, 3.0, 4.0), List.of(0.1, 0.3, 0.5), 3, 1, "square", null, "test", AUG_ARMS, null, false, 0, null);
        }

        static Options parse(String... args) {
            Options o = defaults();
            Set<String> arms = o.arms;
            List<Long> seeds = o.seeds;
            int epochs = o.epochs;
            int teacherEpochs = o.teacherEpochs;
            long teacherSeed = o.teacherSeed;
            Path teacherFile = o.teacherFile;
            List<Path> extraTeachers = o.extraTeachers;
            String teacherTrainOn = o.teacherTrainOn;
            long splitSeed = o.splitSeed;
            List<String> students = o.students;
            double t = o.temperature;
            double a = o.alpha;
            double pdT = o.pdTemperature;
            double pdA = o.pdAlpha;
            int pdFirst = o.pdKdFirstEpoch;
            int pdLast = o.pdKdLastEpoch;
            String sweep = o.sweep;
            List<Double> sweepT = o.sweepTemperatures;
            List<Double> sweepA = o.sweepAlphas;
            int costReps = o.costReps;
            int shiftRadius = o.shiftRadius;
            String shiftPattern = o.shiftPattern;
            Path shiftCache = o.shiftCache;
            String augOn = o.augOn;
            List<String> augArms = o.augArms;
            Path data = null;
            boolean embedded = false;
            int maxBatches = 0;
            Path json = null;
            for (Map.Entry<String, String> option : BenchArgs.pairs(args, Set.of("--embedded"))) {
                String k = option.getKey();
                String v = option.getValue();
                switch (k) {
                    case "--embedded" -> embedded = true;
                    case "--arms" -> arms = new LinkedHashSet<>(Arrays.asList(v.split(",")));
                    case "--seeds" -> seeds = Arrays.stream(v.split(",")).map(s -> Long.parseLong(s.trim())).toList();
                    case "--epochs" -> epochs = Integer.parseInt(v);
                    case "--teacher-epochs" -> teacherEpochs = Integer.parseInt(v);
                    case "--teacher-seed" -> teacherSeed = Long.parseLong(v);
                    case "--teacher" -> teacherFile = Path.of(v);
                    case "--extra-teachers" -> extraTeachers = Arrays.stream(v.split(",")).map(x -> Path.of(x.trim())).toList();
                    case "--teacher-train-on" -> teacherTrainOn = v;
                    case "--split-seed" -> splitSeed = Long.parseLong(v);
                    case "--students" -> students = Arrays.asList(v.split(","));
                    case "--temperature" -> t = Double.parseDouble(v);
                    case "--alpha" -> a = Double.parseDouble(v);
                    case "--pd-temperature" -> pdT = Double.parseDouble(v);
                    case "--pd-alpha" -> pdA = Double.parseDouble(v);
                    case "--pd-kd-epochs" -> {
                        int[] range = epochRange(v);
                        pdFirst = range[0];
                        pdLast = range[1];
                    }
                    case "--sweep" -> sweep = v;
                    case "--sweep-t" -> sweepT = doubles(v);
                    case "--sweep-alpha" -> sweepA = doubles(v);
                    case "--cost-reps" -> costReps = Integer.parseInt(v);
                    case "--shift-radius" -> shiftRadius = Integer.parseInt(v);
                    case "--shift-cache" -> shiftCache = Path.of(v);
                    case "--shift-pattern" -> shiftPattern = v;
                    case "--aug-on" -> augOn = v;
                    case "--aug-arms" -> augArms = Arrays.asList(v.split(","));
                    case "--data" -> data = Path.of(v);
                    case "--max-batches" -> maxBatches = Integer.parseInt(v);
                    case "--json" -> json = Path.of(v);
                    default -> throw new IllegalArgumentException(
                            "unknown argument '" + k + "'; see the DistillationBench class comment for the list");
                }
            }
            return new Options(arms, seeds, epochs, teacherEpochs, teacherSeed, teacherFile, extraTeachers, teacherTrainOn, splitSeed, students, t, a, pdT,
                    pdA, pdFirst, pdLast, sweep, sweepT, sweepA, costReps, shiftRadius, shiftPattern, shiftCache, augOn, augArms, data,
                    embedded,
                    maxBatches, json);
        }

        private static List<Double> doubles(String v) {
            return Arrays.stream(v.split(",")).map(s -> Double.parseDouble(s.trim())).toList();
        }
    }

    /** One trained network. */
    public record Run(String arm, String student, long seed, double temperature, double alpha, double accuracy,
            double sparsity, double trainSeconds) {}

    /**
     * The teacher: accuracy, where it came from, how long its cache took.
     *
     * @param testAccuracy the teacher's ({@code --teacher}) accuracy on the test images
     * @param validationAccuracy its accuracy on the validation part of the split ({@code
     *     --split-seed}); an honest estimate only if it trained on the split's training part
     * @param trainOn what a teacher trained in this run trained on ({@code all} or {@code split});
     *     for a loaded teacher, what the options said
     * @param teachers the number of teachers whose logits are averaged (1 + extra teachers)
     * @param ensembleTestAccuracy accuracy of the mean logits of all teachers on the test images
     *     (equal to {@code testAccuracy} for one teacher)
     * @param ensembleValidationAccuracy the same on the validation part of the split
     */
    public record Teacher(double testAccuracy, double validationAccuracy, String trainOn, boolean trainedNow,
            double secondsPerEpoch, int epochs, double cacheSeconds, long cachedExamples, int teachers,
            double ensembleTestAccuracy, double ensembleValidationAccuracy) {}

    /**
     * How confident the teacher's targets are on one set of images: its accuracy and the mean over
     * the images of {@code max_c softmax(z / T)_c} at each temperature of {@link #TEMPERATURES}.
     */
    public record TeacherStats(String images, String targets, int count, double accuracy, double[] meanMaxProbability) {
        /** The temperatures of {@link #meanMaxProbability}. */
        public static final double[] TEMPERATURES = {1, 2, 3, 4};
    }

    /** Median epoch seconds of the three kinds of epoch and their ratios to plain. */
    public record Cost(int reps, double plainSeconds, double cachedSeconds, double onlineSeconds,
            double cachedRatio, double onlineRatio) {}

    /** The result of a benchmark run. */
    public record Result(Options options, String machine, String data, Teacher teacher, List<TeacherStats> teacherStats,
            List<Run> runs, Cost cost) {

        /** Runs of one arm and student, by seed order. */
        public List<Run> runs(String arm, String student) {
            return runs.stream().filter(r -> r.arm().equals(arm) && r.student().equals(student)).toList();
        }

        /** A Markdown report: machine, teacher, per-arm mean ± std and paired differences, cost. */
        public String toMarkdown() {
            StringBuilder s = new StringBuilder();
            s.append("Machine: ").append(machine).append("\n\nData: ").append(data).append("\n\n");
            if (teacher != null) {
                s.append(String.format(Locale.ROOT,
                        "Teacher (CNN, %d epochs, seed %d, %s, trained on %s): test accuracy %.2f%%, validation"
                                + " (split seed %d) %.2f%%%s; logits of %d training images cached in %.1f s.%n%n",
                        teacher.epochs(), options.teacherSeed(), teacher.trainedNow() ? "trained in this run"
                                : "loaded from " + options.teacherFile(), teacher.trainOn(),
                        100 * teacher.testAccuracy(), options.splitSeed(), 100 * teacher.validationAccuracy(),
                        teacher.trainedNow() ? String.format(Locale.ROOT, ", %.0f s/epoch", teacher.secondsPerEpoch()) : "",
                        teacher.cachedExamples(), teacher.cacheSeconds()));
                if (teacher.teachers() > 1) {
                    s.append(String.format(Locale.ROOT, "Ensemble (mean logits of %d teachers): test accuracy %.2f%%,"
                            + " validation %.2f%%.%n%n", teacher.teachers(), 100 * teacher.ensembleTestAccuracy(),
                            100 * teacher.ensembleValidationAccuracy()));
                }
            }
            if (!teacherStats.isEmpty()) {
                s.append("| teacher targets on | targets | images | teacher accuracy % | mean max p, T = 1 | T = 2 | T = 3 | T = 4 |\n");
                s.append("|---|---|---|---|---|---|---|---|\n");
                for (TeacherStats t : teacherStats) {
                    double[] p = t.meanMaxProbability();
                    s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.4f | %.4f | %.4f | %.4f |%n", t.images(),
                            t.targets(), t.count(), 100 * t.accuracy(), p[0], p[1], p[2], p[3]));
                }
                s.append("\n");
            }
            s.append("| arm | student | T | α | accuracy % (mean ± std) | per seed | paired Δ vs reference (pt) | sparsity |\n");
            s.append("|---|---|---|---|---|---|---|---|\n");
            List<String[]> groups = new ArrayList<>();
            for (Run r : runs) {
                String[] g = {r.arm(), r.student()};
                if (groups.stream().noneMatch(x -> x[0].equals(g[0]) && x[1].equals(g[1]))) {
                    groups.add(g);
                }
            }
            for (String[] g : groups) {
                List<Run> rs = runs(g[0], g[1]);
                double[] acc = rs.stream().mapToDouble(r -> 100 * r.accuracy()).toArray();
                String ref = reference(g[0]);
                String delta = "";
                if (ref != null) {
                    List<Run> base = runs(ref, g[1]);
                    double[] d = new double[rs.size()];
                    int n = 0;
                    for (Run r : rs) {
                        for (Run b : base) {
                            if (b.seed() == r.seed()) {
                                d[n++] = 100 * (r.accuracy() - b.accuracy());
                            }
                        }
                    }
                    double[] dd = Arrays.copyOf(d, n);
                    delta = n == 0 ? "" : String.format(Locale.ROOT, "%+.2f ± %.2f vs %s %s", Stats.mean(dd), Stats.std(dd), ref, perSeed(dd, "%+.2f"));
                }
                Run first = rs.get(0);
                boolean kd = !g[0].matches("(val-)?(plain|plain-shift|gmp)");
                s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f ± %.2f | %s | %s | %s |%n",
                        g[0], g[1], kd ? fmt(first.temperature()) : "–", kd ? fmt(first.alpha()) : "–",
                        Stats.mean(acc), Stats.std(acc), perSeed(acc, "%.2f"), delta,
                        first.sparsity() > 0 ? String.format(Locale.ROOT, "%.4f", first.sparsity()) : "–"));
            }
            if (cost != null) {
                s.append(String.format(Locale.ROOT,
                        "%nCost (LeNet-300-100, median of %d interleaved epochs each): plain %.1f s, KD with cached"
                                + " teacher %.1f s (**%.2f×**), KD with online CNN teacher %.1f s (**%.2f×**).%n",
                        cost.reps(), cost.plainSeconds(), cost.cachedSeconds(), cost.cachedRatio(),
                        cost.onlineSeconds(), cost.onlineRatio()));
            }
            return s.toString();
        }

        /** The result as JSON (schema {@code topiary-bench-kd}, version 1; fractions in [0, 1]). */
        public String toJson() {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = m.createObjectNode();
            root.put("schema", "topiary-bench-kd").put("version", 1).put("command", "bench kd").put("machine", machine).put("data_source", data);
            ObjectNode o = root.putObject("options");
            o.put("epochs", options.epochs()).put("batch_size", BATCH).put("teacher_epochs", options.teacherEpochs())
                    .put("teacher_seed", options.teacherSeed()).put("teacher_train_on", options.teacherTrainOn())
                    .put("split_seed", options.splitSeed()).put("validation_fraction", VALIDATION_FRACTION)
                    .put("temperature", options.temperature())
                    .put("alpha", options.alpha()).put("pd_temperature", options.pdTemperature())
                    .put("pd_alpha", options.pdAlpha()).put("pd_kd_first_epoch", options.pdKdFirstEpoch())
                    .put("pd_kd_last_epoch", options.pdKdLastEpoch()).put("max_batches", options.maxBatches())
                    .put("extra_teachers", options.extraTeachers().toString()).put("shift_radius", options.shiftRadius()).put("shift_pattern", options.shiftPattern()).put("aug_on", options.augOn());
            ArrayNode augArms = o.putArray("aug_arms");
            options.augArms().forEach(augArms::add);
            ArrayNode seeds = o.putArray("seeds");
            options.seeds().forEach(seeds::add);
            ArrayNode ts = root.putArray("teacher_stats");
            for (TeacherStats t : teacherStats) {
                ObjectNode n = ts.addObject().put("images", t.images()).put("targets", t.targets()).put("count", t.count())
                        .put("accuracy", t.accuracy());
                ArrayNode mp = n.putArray("mean_max_probability");
                for (int i = 0; i < TeacherStats.TEMPERATURES.length; i++) {
                    mp.addObject().put("temperature", TeacherStats.TEMPERATURES[i]).put("value", t.meanMaxProbability()[i]);
                }
            }
            if (teacher != null) {
                root.putObject("teacher").put("test_accuracy", teacher.testAccuracy())
                        .put("validation_accuracy", teacher.validationAccuracy()).put("train_on", teacher.trainOn())
                        .put("teachers", teacher.teachers()).put("ensemble_test_accuracy", teacher.ensembleTestAccuracy())
                        .put("ensemble_validation_accuracy", teacher.ensembleValidationAccuracy())
                        .put("trained_in_this_run", teacher.trainedNow()).put("epochs", teacher.epochs())
                        .put("seconds_per_epoch", teacher.secondsPerEpoch()).put("cache_seconds", teacher.cacheSeconds())
                        .put("cached_examples", teacher.cachedExamples());
            }
            ArrayNode rs = root.putArray("runs");
            for (Run r : runs) {
                rs.addObject().put("arm", r.arm()).put("student", r.student()).put("seed", r.seed())
                        .put("temperature", r.temperature()).put("alpha", r.alpha())
                        .put("test_accuracy", r.accuracy()).put("sparsity", r.sparsity())
                        .put("train_seconds", r.trainSeconds());
            }
            if (cost != null) {
                root.putObject("cost").put("reps", cost.reps()).put("plain_epoch_seconds", cost.plainSeconds())
                        .put("cached_kd_epoch_seconds", cost.cachedSeconds())
                        .put("online_kd_epoch_seconds", cost.onlineSeconds())
                        .put("cached_ratio", cost.cachedRatio()).put("online_ratio", cost.onlineRatio());
            }
            try {
                return m.writeValueAsString(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String reference(String arm) {
            String a = arm.startsWith("val-") ? arm.substring(4) : arm;
            String prefix = arm.startsWith("val-") ? "val-" : "";
            switch (a) {
                case "kd-tta", "plain-shift" -> {
                    return prefix + "plain";
                }
                case "kd-shift" -> {
                    return prefix + "plain-shift";
                }
                case "kd" -> {
                    if (!prefix.isEmpty()) {
                        return "val-plain";
                    }
                }
                default -> { }
            }
            return switch (arm) {
                case "kd" -> "plain";
                case "gmp-kd" -> "gmp";
                default -> arm.startsWith("sweep-kd") ? "sweep-plain" : arm.startsWith("sweep-pd") ? "sweep-gmp" : null;
            };
        }
    }

    /** Runs the benchmark with command-line style arguments (see the class comment). */
    public static Result run(String... args) {
        return run(Options.parse(args));
    }

    /** Loads the data the options select and runs the benchmark. */
    public static Result run(Options o) {
        return run(o.embedded() ? FashionMnist.embedded() : FashionMnist.load(o.dataDir()), o);
    }

    /** Runs the benchmark on {@code data} (the options' data fields are ignored); writes {@code o.json()} if set. */
    public static Result run(FashionMnist data, Options o) {
        LOG.info("Data: {}", data.source());
        int stepsPerEpoch = o.maxBatches() > 0
                ? Math.min(o.maxBatches(), (data.trainSize() + BATCH - 1) / BATCH)
                : (data.trainSize() + BATCH - 1) / BATCH;
        List<Run> runs = new ArrayList<>();

        long t0 = System.nanoTime();
        boolean trainedNow = !Files.isRegularFile(o.teacherFile());
        MultiLayerNetwork cnn;
        double teacherEpochSeconds = 0;
        TrainValidationSplit split = validationSplit(data, o);
        if (trainedNow) {
            cnn = KdNets.teacher(o.teacherSeed());
            LabeledImages teacherImages = teacherImages(data, split, o);
            LOG.info("teacher seed {}: training on {} images ({})", o.teacherSeed(), teacherImages.size(), o.teacherTrainOn());
            DataSetIterator it = limit(teacherImages.shuffledIterator(BATCH, o.teacherSeed()), o.maxBatches());
            for (int e = 0; e < o.teacherEpochs(); e++) {
                long s = System.nanoTime();
                cnn.fit(it);
                LOG.info("teacher epoch {}/{}: {} s", e + 1, o.teacherEpochs(), secs(s));
            }
            teacherEpochSeconds = secs(t0) / o.teacherEpochs();
            save(cnn, o.teacherFile());
        } else {
            try {
                cnn = ModelSerializer.restoreMultiLayerNetwork(o.teacherFile().toFile(), false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the teacher " + o.teacherFile(), e);
            }
        }
        double teacherAcc = cnn.evaluate(data.testIterator(1000)).accuracy();
        double teacherValAcc = cnn.evaluate(split.validationIterator(1000)).accuracy();
        LOG.info("teacher test accuracy {}, validation accuracy {}", teacherAcc, teacherValAcc);
        TeacherSource online = TeacherSource.online(cnn);
        if (!o.extraTeachers().isEmpty()) {
            // an ensemble: the mean of the logits of the teacher and every extra teacher
            List<TeacherSource> all = new ArrayList<>(List.of(online));
            o.extraTeachers().forEach(p -> all.add(TeacherSource.online(p)));
            online = TeacherSource.averaged(all.toArray(new TeacherSource[0]));
            LOG.info("teacher: mean of the logits of {} and {}", o.teacherFile(), o.extraTeachers());
        }
        int teachers = 1 + o.extraTeachers().size();
        double ensembleTest = teachers == 1 ? teacherAcc
                : teacherStats("test", "ensemble", online, data.testIterator(1000)).accuracy();
        double ensembleVal = teachers == 1 ? teacherValAcc
                : teacherStats("validation", "ensemble", online, split.validationIterator(1000)).accuracy();
        boolean statsFromShiftCache = o.arms().contains("teacher-stats") && o.shiftCache() != null;
        boolean needPlainCache = o.arms().stream().anyMatch(a -> !a.equals("aug") && !a.equals("teacher")
                && !(a.equals("teacher-stats") && statsFromShiftCache));
        long c0 = System.nanoTime();
        TeacherSource cached = needPlainCache ? TeacherSource.cached(online, data.train().iterator(1000)) : null;
        double cacheSeconds = secs(c0);
        Teacher teacher = new Teacher(teacherAcc, teacherValAcc, o.teacherTrainOn(), trainedNow, teacherEpochSeconds,
                o.teacherEpochs(), cacheSeconds, needPlainCache ? data.trainSize() : 0, teachers, ensembleTest, ensembleVal);
        LOG.info("teacher logits cached in {} s", cacheSeconds);
        ImageShifts shifts = o.shifts();
        boolean needShiftCache = (o.arms().contains("aug") && o.augArms().stream().anyMatch(a -> a.startsWith("kd")))
                || (o.arms().contains("teacher-stats") && o.shiftCache() != null);
        TeacherSource shiftCache = needShiftCache ? shiftCache(o, data, online, shifts) : null;
        List<TeacherStats> stats = new ArrayList<>();
        if (o.arms().contains("teacher-stats")) {
            stats.add(teacherStats("training", "cached logits", shiftCache != null ? shiftCache : cached,
                    data.train().iterator(1000)));
            if (shiftCache != null) {
                stats.add(teacherStats("training", "mean over " + shifts.size() + " shifts",
                        TeacherSource.shiftAveraged(shiftCache, shifts), data.train().iterator(1000)));
            }
            stats.add(teacherStats("test", "online", online, data.testIterator(1000)));
            if (shiftCache != null) {
                stats.add(teacherStats("test", "online, mean over " + shifts.size() + " shifts",
                        TeacherSource.shiftAveraged(online, shifts), data.testIterator(1000)));
            }
        }
        if (o.arms().contains("aug")) {
            aug(o, data, split, shiftCache, shifts, runs);
        }

        if (o.arms().contains("sweep")) {
            sweep(o, split, cached, stepsPerEpoch, runs);
        }
        if (o.arms().contains("kd")) {
            for (long seed : o.seeds()) {
                for (String sid : o.students()) {
                    KdNets.Student student = KdNets.Student.byId(sid);
                    runs.add(train("plain", sid, seed, 0, 0, student::build, null, null, data, o, null));
                    runs.add(train("kd", sid, seed, o.temperature(), o.alpha(), student::build, cached,
                            new int[] {1, o.epochs()}, data, o, null));
                }
            }
        }
        if (o.arms().contains("pd")) {
            for (long seed : o.seeds()) {
                String sid = KdNets.Student.LENET_300_100.id;
                runs.add(train("gmp", sid, seed, 0, 0, KdNets.Student.LENET_300_100::build, null, null, data, o,
                        gmp(stepsPerEpoch)));
                runs.add(train("gmp-kd", sid, seed, o.pdTemperature(), o.pdAlpha(), KdNets.Student.LENET_300_100::build,
                        cached, pdEpochs(o), data, o, gmp(stepsPerEpoch)));
            }
        }
        Cost cost = o.arms().contains("cost") ? cost(o, data, cached, online) : null;
        Result r = new Result(o, machine(), data.source(), teacher, stats, runs, cost);
        if (o.json() != null) {
            write(o.json(), r.toJson());
        }
        return r;
    }

    /**
     * The one validation split of a run: {@code VALIDATION_FRACTION} of each class of the
     * training images, chosen with {@code o.splitSeed()}. The sweep, the aug arm on validation, a
     * teacher trained with {@code teacherTrainOn = split} and the teacher's validation accuracy
     * all use this split.
     */
    static TrainValidationSplit validationSplit(FashionMnist data, Options o) {
        return data.split(VALIDATION_FRACTION, o.splitSeed());
    }

    /** What a teacher trained in this run trains on: all training images, or {@code split.train()}. */
    static LabeledImages teacherImages(FashionMnist data, TrainValidationSplit split, Options o) {
        return o.teacherTrainOn().equals("split") ? split.train() : data.train();
    }

    /**
     * The teacher's logits of every training image and every shifted copy ({@link
     * CacheOptions#withShifts}): opened from {@code o.shiftCache()} if that file exists, else
     * computed (into that file if set, else in memory).
     */
    private static TeacherSource shiftCache(Options o, FashionMnist data, TeacherSource online, ImageShifts shifts) {
        Path file = o.shiftCache();
        long s = System.nanoTime();
        TeacherSource c;
        if (file != null && Files.isRegularFile(file)) {
            c = TeacherSource.openCache(file);
        } else {
            CacheOptions opts = (file == null ? CacheOptions.inMemory() : CacheOptions.inFile(file)).withShifts(shifts);
            c = TeacherSource.cached(online, data.train().iterator(1000), opts);
        }
        LOG.info("shift cache ({}) ready in {} s", c, secs(s));
        return c;
    }

    /** Accuracy and mean max probability at T = 1..4 of {@code teacher}'s logits over {@code images}. */
    static TeacherStats teacherStats(String images, String targets, TeacherSource teacher, DataSetIterator it) {
        double[] T = TeacherStats.TEMPERATURES;
        double[] sumMax = new double[T.length];
        long correct = 0;
        int n = 0;
        while (it.hasNext()) {
            org.nd4j.linalg.dataset.DataSet b = it.next();
            float[] z = teacher.logits(b.getFeatures()).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c')
                    .data().asFloat();
            int[] y = b.getLabels().argMax(1).toIntVector();
            int c = z.length / y.length;
            for (int i = 0; i < y.length; i++) {
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (z[i * c + j] > z[i * c + best]) {
                        best = j;
                    }
                }
                correct += best == y[i] ? 1 : 0;
                for (int t = 0; t < T.length; t++) {
                    double sum = 0;
                    for (int j = 0; j < c; j++) {
                        sum += Math.exp((z[i * c + j] - z[i * c + best]) / T[t]);
                    }
                    sumMax[t] += 1 / sum;
                }
            }
            n += y.length;
        }
        for (int t = 0; t < T.length; t++) {
            sumMax[t] /= n;
        }
        TeacherStats r = new TeacherStats(images, targets, n, (double) correct / n, sumMax);
        LOG.info("teacher on {} ({}): accuracy {}, mean max p {}", images, targets, r.accuracy(), Arrays.toString(sumMax));
        return r;
    }

    /**
     * The augmentation arms, per seed, LeNet-300-100, on the test set or (with {@code augOn =
     * validation}) trained on the 90% part of the split and scored on the 10% part, arm names
     * prefixed {@code val-}: {@code plain}; {@code kd} (cached logits); {@code kd-tta} (logits
     * averaged over the shifts, {@link TeacherSource#shiftAveraged}); {@code plain-shift} (random
     * shifts, {@link ShiftedDataSetIterator}); {@code kd-shift} (the same shifted images, the
     * teacher's logits of each shifted image). Same initialisation, batch order and shifts per seed.
     */
    private static void aug(Options o, FashionMnist data, TrainValidationSplit split, TeacherSource shiftCache,
            ImageShifts shifts, List<Run> runs) {
        boolean val = o.augOn().equals("validation");
        LabeledImages train = val ? split.train() : data.train();
        String prefix = val ? "val-" : "";
        KdNets.Student st = KdNets.Student.LENET_300_100;
        TeacherSource tta = shiftCache == null ? null : TeacherSource.shiftAveraged(shiftCache, shifts);
        for (long seed : o.seeds()) {
            for (String arm : o.augArms()) {
                DataSetIterator eval = val ? split.validationIterator(1000) : data.testIterator(1000);
                boolean kd = arm.startsWith("kd");
                TeacherSource t = !kd ? null : arm.equals("kd-tta") ? tta : shiftCache;
                runs.add(trainOn(prefix + arm, st.id, seed, kd ? o.temperature() : 0, kd ? o.alpha() : 0, st::build, t,
                        new int[] {1, o.epochs()}, train, eval, o, null, arm.endsWith("-shift") ? shifts : null));
            }
        }
    }

    private static int[] pdEpochs(Options o) {
        return new int[] {o.pdKdFirstEpoch(), o.pdKdLastEpoch()};
    }

    /** FMNIST-GMP 90%: begin after epoch 1, end after epoch 7, masks every 100 steps (469, 3283, 100). */
    static PruningConfig gmp(int stepsPerEpoch) {
        long begin = stepsPerEpoch;
        long end = 7L * stepsPerEpoch;
        return PruningConfig.gradual(0.9, begin, end, Math.max(1, Math.min(100, end - begin)));
    }

    private static void sweep(Options o, TrainValidationSplit split, TeacherSource cached, int stepsPerEpoch, List<Run> runs) {
        KdNets.Student s = KdNets.Student.LENET_300_100;
        boolean pd = o.sweep().equals("pd");
        int splitSteps = o.maxBatches() > 0 ? stepsPerEpoch : (split.train().size() + BATCH - 1) / BATCH;
        PruningConfig pruning = pd ? gmp(splitSteps) : null;
        int[] kdEpochs = pd ? pdEpochs(o) : new int[] {1, o.epochs()};
        String epochsTag = kdEpochs[0] == 1 && kdEpochs[1] >= o.epochs() ? "" : "-e" + kdEpochs[0] + "-" + kdEpochs[1];
        for (long seed : o.seeds()) {
            runs.add(trainOn(pd ? "sweep-gmp" : "sweep-plain", s.id, seed, 0, 0, s::build, null, null, split.train(),
                    split.validationIterator(1000), o, pruning));
            for (double t : o.sweepTemperatures()) {
                for (double a : o.sweepAlphas()) {
                    String arm = (pd ? "sweep-pd" : "sweep-kd") + "-T" + fmt(t) + "-a" + fmt(a) + epochsTag;
                    runs.add(trainOn(arm, s.id, seed, t, a, s::build, cached, kdEpochs, split.train(),
                            split.validationIterator(1000), o, pruning));
                }
            }
        }
    }

    private static Run train(String arm, String student, long seed, double t, double a, LongFunction<MultiLayerNetwork> build,
            TeacherSource teacher, int[] kdEpochs, FashionMnist data, Options o, PruningConfig pruning) {
        return trainOn(arm, student, seed, t, a, build, teacher, kdEpochs, data.train(), data.testIterator(1000), o, pruning);
    }

    /**
     * Trains a fresh {@code build(seed)} for {@code o.epochs()} epochs on {@code train} in the seeded
     * order; with a teacher, epochs {@code kdEpochs[0]..kdEpochs[1]} (1-based, inclusive) distil and
     * the others use the plain loss; with a pruning config, one PruningListener runs throughout.
     */
    private static Run trainOn(String arm, String student, long seed, double t, double a, LongFunction<MultiLayerNetwork> build,
            TeacherSource teacher, int[] kdEpochs, LabeledImages train, DataSetIterator eval, Options o,
            PruningConfig pruning) {
        return trainOn(arm, student, seed, t, a, build, teacher, kdEpochs, train, eval, o, pruning, null);
    }

    /** As above; with {@code augment}, every training image is moved by a random shift (seeded with {@code seed}). */
    private static Run trainOn(String arm, String student, long seed, double t, double a, LongFunction<MultiLayerNetwork> build,
            TeacherSource teacher, int[] kdEpochs, LabeledImages train, DataSetIterator eval, Options o,
            PruningConfig pruning, ImageShifts augment) {
        MultiLayerNetwork net = build.apply(seed);
        DataSetIterator it = limit(train.shuffledIterator(BATCH, seed), o.maxBatches());
        if (augment != null) {
            it = ShiftedDataSetIterator.wrap(it, augment, seed);
        }
        PruningListener p = pruning == null ? null : PruningListener.create(pruning);
        if (p != null) {
            net.addListeners(p);
        }
        DistillationTrainer<MultiLayerNetwork> kd = teacher == null
                ? null
                : DistillationTrainer.builder(net, teacher).optTemperature(t).optAlpha(a).optEpochs(1).build();
        long s = System.nanoTime();
        for (int e = 1; e <= o.epochs(); e++) {
            if (kd != null && e >= kdEpochs[0] && e <= kdEpochs[1]) {
                kd.fit(it);
            } else {
                net.fit(it);
            }
        }
        double seconds = secs(s);
        double acc = net.evaluate(eval).accuracy();
        double sparsity = p == null ? 0 : p.report().sparsity();
        LOG.info(String.format(Locale.ROOT, "%s %s seed %d T=%s a=%s: accuracy %.4f sparsity %.4f (%.0f s)", arm, student,
                seed, fmt(t), fmt(a), acc, sparsity, seconds));
        return new Run(arm, student, seed, t, a, acc, sparsity, seconds);
    }

    /**
     * Interleaves plain, cached-KD and online-KD epochs of LeNet-300-100 ({@code costReps} of each;
     * plain and cached alternate which goes first, online is last in each round as it is the
     * slowest) after a 20-batch warm-up of each network, and compares medians. Wall time: with
     * DL4J's asynchronous prefetch the teacher (online) and the logit lookup (cached) run on the
     * prefetch thread, so a free core hides part of their cost.
     */
    private static Cost cost(Options o, FashionMnist data, TeacherSource cached, TeacherSource online) {
        int reps = o.costReps();
        double[] plain = new double[reps];
        double[] withCache = new double[reps];
        double[] withOnline = new double[reps];
        MultiLayerNetwork a = KdNets.Student.LENET_300_100.build(7);
        MultiLayerNetwork b = KdNets.Student.LENET_300_100.build(7);
        MultiLayerNetwork c = KdNets.Student.LENET_300_100.build(7);
        DataSetIterator ia = limit(data.trainIterator(BATCH, 7), o.maxBatches());
        DataSetIterator ib = limit(data.trainIterator(BATCH, 7), o.maxBatches());
        DataSetIterator ic = limit(data.trainIterator(BATCH, 7), o.maxBatches());
        DistillationTrainer<MultiLayerNetwork> kdCached = DistillationTrainer.builder(b, cached).build();
        DistillationTrainer<MultiLayerNetwork> kdOnline = DistillationTrainer.builder(c, online).build();
        int warmup = o.maxBatches() > 0 ? 1 : 20;
        a.fit(limit(data.trainIterator(BATCH, 8), warmup));
        kdCached.fit(limit(data.trainIterator(BATCH, 8), warmup));
        kdOnline.fit(limit(data.trainIterator(BATCH, 8), warmup));
        for (int r = 0; r < reps; r++) {
            // Plain and cached alternate which goes first; online (the slowest) is always last.
            for (int k = 0; k < 2; k++) {
                long s = System.nanoTime();
                if ((k + r) % 2 == 0) {
                    a.fit(ia);
                    plain[r] = secs(s);
                } else {
                    kdCached.fit(ib);
                    withCache[r] = secs(s);
                }
            }
            long s = System.nanoTime();
            kdOnline.fit(ic);
            withOnline[r] = secs(s);
            LOG.info(String.format(Locale.ROOT, "cost round %d: plain %.1f s, cached %.1f s, online %.1f s", r + 1,
                    plain[r], withCache[r], withOnline[r]));
        }
        double p = Stats.median(plain);
        double ca = Stats.median(withCache);
        double on = Stats.median(withOnline);
        return new Cost(reps, p, ca, on, ca / p, on / p);
    }

    private static DataSetIterator limit(DataSetIterator it, int maxBatches) {
        return maxBatches > 0 ? new EarlyTerminationDataSetIterator(it, maxBatches) : it;
    }

    private static void save(MultiLayerNetwork net, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ModelSerializer.writeModel(net, file.toFile(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the teacher to " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String machine() {
        String omp = System.getenv("OMP_NUM_THREADS");
        return MachineInfo.detect().describe() + "; ND4J " + Nd4j.getBackend().getClass().getSimpleName()
                + ", OMP_NUM_THREADS=" + (omp == null ? "unset" : omp);
    }

    private static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String perSeed(double[] x, String f) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < x.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, f, x[i]));
        }
        return b.append(")").toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Runs from the command line: {@code java -cp topiary.jar:lib/* org.topiary.examples.bench.DistillationBench ...}. */
    public static void main(String... args) {
        Result r = run(args);
        System.out.println(r.toMarkdown());
    }
}

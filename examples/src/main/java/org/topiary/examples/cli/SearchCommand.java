package org.topiary.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.distill.TeacherSource;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.data.TrainValidationSplit;
import org.topiary.examples.io.AtomicFiles;
import org.topiary.examples.progress.ProgressReporter;
import org.topiary.examples.report.CommandReport;
import org.topiary.examples.report.JsonReport;
import org.topiary.examples.search.AllocationMode;
import org.topiary.examples.search.Budget;
import org.topiary.examples.search.CandidateMetrics;
import org.topiary.examples.search.CandidateRecord;
import org.topiary.examples.search.CandidateSettings;
import org.topiary.examples.search.CandidateTraining;
import org.topiary.examples.search.GeneratorKind;
import org.topiary.examples.search.L1Mode;
import org.topiary.examples.search.LayerAllocator;
import org.topiary.examples.search.NetworkFactory;
import org.topiary.examples.search.PatternMode;
import org.topiary.examples.search.PruningSearch;
import org.topiary.examples.search.SearchConstraint;
import org.topiary.examples.search.SearchProgress;
import org.topiary.examples.search.SearchReport;
import org.topiary.examples.search.SearchResult;
import org.topiary.examples.search.SearchSpace;
import org.topiary.examples.search.SensitivityAllocation;
import org.topiary.examples.search.ValidationData;
import org.topiary.examples.train.ModelFactory;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.OperatingPointSensitivity;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.TrainOptions;
import org.topiary.examples.train.Trainer;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code topiary search}: an Arbiter search over pruning, L1 and distillation settings for
 * LeNet-300-100 on Fashion-MNIST. Candidates train on the training set minus a stratified
 * validation split and are scored on the validation split (validation accuracy subject to a
 * minimum sparsity and, optionally, a maximum number of non-zero parameters and a maximum latency
 * of the candidate's shrunk network, in milliseconds or as a ratio to its full-size network); the
 * test set is used once, by the final run of the best settings on the full training set. Every
 * candidate is shrunk ({@code SurgeryPlan}) and timed ({@code LatencyProbe}); {@code --patterns
 * unstructured,neurons} adds candidates that prune whole neurons, whose shrunk networks are really
 * smaller. The run folder gets
 * the results table, the Pareto chart, the best pruning configuration (for {@code topiary prune
 * --config}), the best settings with their L1/KD values, and the final run's model and report.
 */
@Command(
        name = "search",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "Search pruning settings with Arbiter (final sparsity, schedule, layer/global allocation,"
                    + " L1 or proximal L1, and with --teacher/--train-teacher the KD temperature and α): every candidate"
                    + " trains LeNet-300-100 for --epochs on the training set minus a validation split and"
                    + " is scored by its validation accuracy subject to --min-sparsity (and --max-nonzero-params,"
                    + " --max-latency-ms, --max-latency-ratio on its shrunk network). The best"
                    + " settings are then trained once on the full training set and tested.",
            ""
        })
public final class SearchCommand implements Callable<Integer> {

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--budget", paramLabel = "N|DURATION", defaultValue = "12",
            description = "Candidates to train (e.g. 12), or wall time after which no candidate starts (e.g. 90s, 30m, 2h). Default: ${DEFAULT-VALUE}.")
    private String budget;

    @Option(names = "--generator", paramLabel = "random|grid|genetic", defaultValue = "random",
            description = "Arbiter candidate generator. Default: ${DEFAULT-VALUE}.")
    private String generator;

    @Option(names = "--grid-points", paramLabel = "N", defaultValue = "3",
            description = "Values per continuous range for --generator grid. Default: ${DEFAULT-VALUE}.")
    private int gridPoints;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Candidates trained at the same time (Arbiter LocalOptimizationRunner threads). Default: ${DEFAULT-VALUE}.")
    private int parallel;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Fraction of the training set held out (stratified) to score candidates. Default: ${DEFAULT-VALUE}.")
    private double validationFraction;

    @Option(names = "--min-sparsity", paramLabel = "S", defaultValue = "0.9",
            description = "Constraint: minimum fraction of pruned weights. Default: ${DEFAULT-VALUE}.")
    private double minSparsity;

    @Option(names = "--max-nonzero-params", paramLabel = "N",
            description = "Constraint: maximum parameters (weights and biases) that are not zero. Default: none.")
    private Long maxNonzeroParams;

    @Option(names = "--max-latency-ms", paramLabel = "MS",
            description = "Constraint: maximum inference latency of the candidate's shrunk network (dead units removed),"
                    + " median milliseconds per forward pass of 256 validation images on this machine with --threads;"
                    + " noisy under load, see --max-latency-ratio. Default: none.")
    private Double maxLatencyMillis;

    @Option(names = "--max-latency-ratio", paramLabel = "R",
            description = "Constraint: maximum latency of the shrunk network over that of the same candidate's full-size"
                    + " network, timed interleaved with it in the same run (independent of the machine's speed, still noisy"
                    + " under heavy load; e.g. 0.5 = at least twice as fast). Default: none.")
    private Double maxLatencyRatio;

    @Option(names = "--patterns", paramLabel = "PATTERN[,PATTERN]", split = ",", defaultValue = "unstructured",
            description = "Mask patterns to search: unstructured (single weights), neurons (whole hidden neurons, the"
                    + " final sparsity is the fraction of neurons removed per layer, layer allocation; the shrunk"
                    + " network is really smaller). Default: ${DEFAULT-VALUE}.")
    private List<String> patterns;

    @Option(names = "--sparsity-range", paramLabel = "MIN:MAX", defaultValue = "0.90:0.95",
            description = "Final sparsities to search. Default: ${DEFAULT-VALUE}.")
    private String sparsityRange;

    @Option(names = "--allocations", paramLabel = "MODE[,MODE]", split = ",", defaultValue = "layer,global",
            description = "Allocation modes to search: layer, global, sensitivity (per-layer targets from the"
                    + " sensitivity curves of a dense model, measured once on the validation split). Default: ${DEFAULT-VALUE}.")
    private List<String> allocations;

    @Option(names = "--l1", paramLabel = "MODE[,MODE]", split = ",", defaultValue = "none,l1,proximal",
            description = "L1 terms to search: none, l1, proximal. Default: ${DEFAULT-VALUE}.")
    private List<String> l1Modes;

    @Option(names = "--dense-model", paramLabel = "FILE",
            description = "For --allocations sensitivity: the dense model to analyse (DL4J zip of LeNet-300-100"
                    + " trained on the training part only). Default: train one here for --epochs on the training part.")
    private Path denseModel;

    @Option(names = "--operating-sparsity", paramLabel = "S0",
            description = "For --allocations sensitivity: measure the curves at a pruned operating point instead of"
                    + " the dense model (a LeNet-300-100 trained here with global GMP to S0, each tensor's survivors"
                    + " pruned further by 0.1..0.9, as 'topiary sensitivity --operating-sparsity'). S0 in (0, 1),"
                    + " below the --sparsity-range minimum; not with --dense-model. Default: off.")
    private Double operatingSparsity;

    @Option(names = "--recovery-steps", paramLabel = "N",
            description = "With --operating-sparsity: masked training steps before every curve point, >= 1. Default: "
                    + SensitivityCommand.DEFAULT_RECOVERY_STEPS + ".")
    private Integer recoverySteps;

    @Option(names = "--teacher", paramLabel = "FILE",
            description = "A trained teacher (DL4J model zip): adds distillation on/off, T and α to the search;"
                    + " its logits are computed once for the whole search. It must not have been trained on the"
                    + " validation images (e.g. a teacher trained on the whole training set), or the KD candidates'"
                    + " validation scores are biased; --train-teacher avoids this.")
    private Path teacherFile;

    @Option(names = "--train-teacher",
            description = "Train a teacher (--teacher-model) here, once, on the training part only (not the validation"
                    + " split, not the test set), save it as " + TEACHER_FILE + " in the run folder and search"
                    + " distillation with it.")
    private boolean trainTeacher;

    @Option(names = "--teacher-epochs", paramLabel = "N", defaultValue = "10",
            description = "Epochs of --train-teacher. Default: ${DEFAULT-VALUE}.")
    private int teacherEpochs;

    /** Teachers {@code --train-teacher} can train. */
    enum TeacherChoice {
        cnn(ModelZoo::smallCnn),
        lenet300100(ModelZoo::lenet300100);

        final ModelFactory factory;

        TeacherChoice(ModelFactory factory) {
            this.factory = factory;
        }
    }

    @Option(names = "--teacher-model", paramLabel = "cnn|lenet300100", defaultValue = "cnn",
            description = "What --train-teacher trains: cnn (the FMNIST-KD CNN) or lenet300100. Default: ${DEFAULT-VALUE}.")
    private TeacherChoice teacherModel;

    /** File name of the teacher trained by {@code --train-teacher}, in the run folder. */
    static final String TEACHER_FILE = "teacher.zip";

    /** Creates the command; picocli fills its fields. */
    public SearchCommand() {}

    @Override
    public Integer call() {
        Budget b = CliErrors.usage(spec, () -> Budget.parse(budget));
        GeneratorKind gen = CliErrors.usage(spec, () -> GeneratorKind.parse(generator));
        SearchConstraint constraint = CliErrors.usage(spec, this::constraint);
        SearchSpace space = CliErrors.usage(spec, () -> {
            SearchSpace s = space();
            validateOperatingPoint(s);
            return s;
        });
        if (parallel < 1) {
            throw new ParameterException(spec.commandLine(), "--parallel must be >= 1, found " + parallel);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new ParameterException(spec.commandLine(), "--validation-fraction must be in (0, 1), found " + validationFraction);
        }
        if (trainTeacher && teacherFile != null) {
            throw new ParameterException(spec.commandLine(), "give either --teacher FILE or --train-teacher, not both");
        }
        if (teacherEpochs < 1) {
            throw new ParameterException(spec.commandLine(), "--teacher-epochs must be >= 1, found " + teacherEpochs);
        }
        if (denseModel != null && !Files.isRegularFile(denseModel)) {
            throw new ParameterException(spec.commandLine(), "--dense-model: file not found: " + denseModel);
        }
        if (teacherFile != null && !Files.isRegularFile(teacherFile)) {
            throw new ParameterException(spec.commandLine(), "--teacher: file not found: " + teacherFile
                    + "; train one with topiary distill --teacher FILE --train-teacher, or leave --teacher out");
        }
        CommandSession session = CommandSession.start(spec, common);
        PrintWriter out = spec.commandLine().getOut();
        TrainingData data = session.loadData();
        FashionMnist fm = ((FashionMnistData) data).fashionMnist();
        TrainValidationSplit split = fm.split(validationFraction, common.seed());
        ValidationData validation = ValidationData.of(split, data.source());
        out.printf(Locale.ROOT, "Search: %s, %s, %s; candidates train on %d, validate on %d examples%n",
                gen.id(), b, constraint.describe(), validation.trainSize(), validation.testSize());
        out.println(space.describe());
        out.flush();

        Optional<TeacherSource> teacher = Optional.empty();
        if (teacherFile != null || trainTeacher) {
            long start = System.nanoTime();
            TeacherSource online;
            String from;
            if (trainTeacher) {
                Path saved = session.outDir().resolve(TEACHER_FILE);
                out.printf(Locale.ROOT, "Training the %s teacher for %d epochs on the %d training-part images%n",
                        teacherModel.name(), teacherEpochs, split.train().size());
                out.flush();
                MultiLayerNetwork cnn = TeacherFiles.trainAndSave(teacherModel.factory.create(common.seed()),
                        split.trainIterator(TrainOptions.PROTOCOL_BATCH_SIZE, common.seed()), teacherEpochs, saved);
                online = TeacherSource.online(cnn);
                from = saved + " (trained here on the training part)";
            } else {
                online = TeacherSource.online(teacherFile);
                from = teacherFile + " (must not have seen the validation images)";
            }
            teacher = Optional.of(TeacherSource.cached(online, fm.train().iterator(1000)));
            out.printf(Locale.ROOT, "Teacher %s: logits of the %d training images cached, %.1f s%n",
                    from, fm.trainSize(), (System.nanoTime() - start) / 1e9);
        }
        TrainOptions options = TrainOptions.of(common.epochs(), common.seed());
        // only unstructured candidates use an allocation: neurons candidates prune layer by layer
        LayerAllocator allocator = space.allocations().contains(AllocationMode.SENSITIVITY)
                        && space.patterns().contains(PatternMode.UNSTRUCTURED)
                ? sensitivity(split, options, out)
                : LayerAllocator.unavailable();
        CandidateTraining training = new CandidateTraining(options, NetworkFactory.lenet300100(), teacher, allocator);
        out.println("Latency of each candidate's shrunk network: " + training.latencyProbe().describe());
        out.flush();
        SearchResult result = PruningSearch.builder()
                .setTraining(training)
                .setData(validation)
                .setSpace(space)
                .optGenerator(gen)
                .optBudget(b)
                .optConstraint(constraint)
                .optThreads(parallel)
                .optSeed(common.seed())
                .optGridPoints(gridPoints)
                .optProgress(new PrintingProgress(out, constraint))
                .build()
                .run();

        long fullSteps = (long) options.epochs() * options.stepsPerEpoch(data.trainSize());
        SearchReport.Files files = SearchReport.write(session.outDir(), result, fullSteps, allocator);
        out.println();
        out.print(SearchReport.markdown(result));
        out.println("Table:  " + files.table());
        out.println("Pareto: " + files.pareto() + ", " + files.paretoLatency());
        Optional<CandidateRecord> best = result.best();
        if (best.isEmpty()) {
            out.println("No candidate completed; nothing to test.");
            out.flush();
            teacher.ifPresent(TeacherSource::close);
            return TopiaryCli.EXIT_FAILURE;
        }
        CandidateSettings s = best.get().settings();
        if (!best.get().isFeasible(constraint)) {
            out.println("No candidate met the constraint; the best infeasible one is tested.");
        }
        out.println("Best:   #" + best.get().index() + " " + s.describe());
        out.println("Config: " + files.bestConfig().orElseThrow() + " (topiary prune --config, same --epochs)");
        out.println("Settings (with L1/KD): " + files.bestSettings().orElseThrow());
        out.println("Training the best settings on the full training set, tested once on the test set");
        out.flush();

        Trainer trainer = Trainer.create(training.data(data, s), options, ProgressReporter.forConsole());
        RunResult finalRun = trainer.train(training.runSpec("search-best", s, data.trainSize()), session.outDir());
        CandidateTraining.ShrunkCost finalCost = finalCost(finalRun, training, validation);
        CommandReport report = session.finish(data, List.of(finalRun));
        if (common.jsonFile() != null) {
            ObjectNode root = JsonReport.toJson(report);
            ObjectNode search = SearchReport.toJson(result, space, training.latencyProbe(), validation.trainSize(),
                    validation.testSize());
            if (operatingSparsity == null) {
                search.putNull("operating_sparsity");
            } else {
                search.put("operating_sparsity", operatingSparsity);
            }
            search.put("best_config_file", files.bestConfig().orElseThrow().getFileName().toString());
            search.put("best_settings_file", files.bestSettings().orElseThrow().getFileName().toString());
            search.put("final_run", finalRun.name());
            search.put("final_test_accuracy", finalRun.testAccuracy());
            search.put("final_shrunk_shape", finalCost.shape());
            search.put("final_shrunk_params", finalCost.params());
            search.put("final_latency_ms", finalCost.latency().shrunkMillis());
            search.put("final_dense_latency_ms", finalCost.latency().denseMillis());
            search.put("final_latency_ratio", finalCost.latency().ratio());
            root.set("search", search);
            AtomicFiles.writeString(common.jsonFile(), root.toPrettyString() + "\n");
        }
        out.printf(Locale.ROOT, "Final: test accuracy %.2f %% at sparsity %.4f (%d non-zero params); shrunk %s (%d params)"
                        + " %.3f ms vs %.3f ms full-size (ratio %.3f)%n",
                100 * finalRun.testAccuracy(), finalRun.sparsity(), finalRun.nonzeroParams(), finalCost.shape(),
                finalCost.params(), finalCost.latency().shrunkMillis(), finalCost.latency().denseMillis(),
                finalCost.latency().ratio());
        out.flush();
        teacher.ifPresent(TeacherSource::close);
        return TopiaryCli.EXIT_OK;
    }

    /**
     * The final model shrunk and timed like the candidates, on validation images (timing reads no
     * labels; the test set stays used once).
     */
    private static CandidateTraining.ShrunkCost finalCost(RunResult run, CandidateTraining training, TrainingData validation) {
        MultiLayerNetwork net;
        try {
            net = PrunedModels.restore(run.modelFile()).multiLayerNetwork();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the final model " + run.modelFile(), e);
        }
        return training.shrinkAndTime(net, validation);
    }

    /** The constraint the options describe; a bad bound throws, naming its option. */
    private SearchConstraint constraint() {
        SearchConstraint constraint = SearchConstraint.minSparsity(minSparsity)
                .withMaxNonzeroParams(maxNonzeroParams == null ? Long.MAX_VALUE : maxNonzeroParams);
        if (maxLatencyMillis != null) {
            requirePositive("--max-latency-ms", maxLatencyMillis);
            constraint = constraint.withMaxLatencyMillis(maxLatencyMillis);
        }
        if (maxLatencyRatio != null) {
            requirePositive("--max-latency-ratio", maxLatencyRatio);
            constraint = constraint.withMaxLatencyRatio(maxLatencyRatio);
        }
        return constraint;
    }

    /** A finite bound {@code > 0}; the message names the option. */
    private static void requirePositive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be > 0 and finite, found " + value);
        }
    }

    /** The operating-point options: messages name the CLI options. */
    private void validateOperatingPoint(SearchSpace space) {
        if (operatingSparsity == null) {
            if (recoverySteps != null) {
                throw new IllegalArgumentException("--recovery-steps needs --operating-sparsity");
            }
            return;
        }
        if (!(operatingSparsity > 0 && operatingSparsity < 1)) {
            throw new IllegalArgumentException("--operating-sparsity must be in (0, 1), found " + operatingSparsity);
        }
        if (!space.allocations().contains(AllocationMode.SENSITIVITY)) {
            throw new IllegalArgumentException("--operating-sparsity is for --allocations sensitivity, which this search"
                    + " does not include; add it or drop --operating-sparsity");
        }
        if (denseModel != null) {
            throw new IllegalArgumentException("--dense-model cannot be combined with --operating-sparsity: the operating"
                    + " point is trained here; drop one of them");
        }
        if (!(operatingSparsity < space.sparsity().min())) {
            throw new IllegalArgumentException("--operating-sparsity (" + operatingSparsity + ") must be < the --sparsity-range"
                    + " minimum (" + space.sparsity().min() + "): every candidate is pruned further from the operating point");
        }
        double reach = OperatingPointSensitivity.reach(operatingSparsity,
                SensitivityCommand.SURVIVOR_GRID.stream().mapToDouble(Double::doubleValue).toArray());
        if (space.sparsity().max() > reach - 1e-4) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--sparsity-range maximum (%s) must be below %.4f:"
                    + " from --operating-sparsity %s the survivor curves (fractions up to 0.9) reach about S0 + 0.9·(1 − S0);"
                    + " raise --operating-sparsity or lower the range", space.sparsity().max(), reach, operatingSparsity));
        }
        if (recoverySteps != null && recoverySteps < 1) {
            throw new IllegalArgumentException("--recovery-steps must be >= 1, found " + recoverySteps);
        }
    }

    /**
     * The operating-point curves ({@link OperatingPointSensitivity}), measured once for the whole
     * search: global GMP to S0 over this search's epochs with the candidates' default schedule
     * shape (from 10 % to 70 % of the run, in whole epochs), masks every 100 steps.
     */
    private LayerAllocator operatingPointSensitivity(TrainValidationSplit split, TrainOptions options, PrintWriter out) {
        long start = System.nanoTime();
        int epochs = options.epochs();
        int begin = (int) Math.round(0.1 * epochs); // < epochs, so end below is > begin
        int end = Math.min(epochs, Math.max(begin + 1, (int) Math.round(0.7 * epochs)));
        OperatingPointSensitivity.Settings settings = new OperatingPointSensitivity.Settings(operatingSparsity, epochs,
                options.batchSize(), begin, end, 100,
                SensitivityCommand.SURVIVOR_GRID.stream().mapToDouble(Double::doubleValue).toArray(),
                recoverySteps != null ? recoverySteps : SensitivityCommand.DEFAULT_RECOVERY_STEPS);
        out.printf(Locale.ROOT, "Sensitivity: training the operating point (LeNet-300-100, global GMP to %s, epochs %d..%d of %d)"
                + " on the training part%n", operatingSparsity, begin, end, epochs);
        out.flush();
        MultiLayerNetwork net = OperatingPointSensitivity.train(split, settings, options.seed(), null);
        OperatingPointSensitivity.Result point = OperatingPointSensitivity.measure(net, split, settings, options.seed(), null);
        out.printf(Locale.ROOT, "Sensitivity: operating point at sparsity %.4f, survivors %s, validation accuracy %.4f;"
                        + " survivor curves of %d tensors (%d recovery steps per point) measured on the validation split in %.1f s%n",
                point.achievedSparsity(), point.survivors(), point.validationAccuracy(), point.curves().size(),
                point.recoverySteps(), (System.nanoTime() - start) / 1e9);
        out.flush();
        return SensitivityAllocation.beyond(point.curves(), point.sizes());
    }

    /** The sensitivity curves of a dense model, measured once for the whole search. */
    private LayerAllocator sensitivity(TrainValidationSplit split, TrainOptions options, PrintWriter out) {
        if (operatingSparsity != null) {
            return operatingPointSensitivity(split, options, out);
        }
        long start = System.nanoTime();
        MultiLayerNetwork dense;
        if (denseModel != null) {
            try {
                dense = (MultiLayerNetwork) PrunedModels.restore(denseModel).model();
            } catch (IOException | ClassCastException e) {
                throw new ParameterException(spec.commandLine(), "--dense-model " + denseModel
                        + ": not a MultiLayerNetwork model file (" + e.getMessage() + ")");
            }
        } else {
            out.printf(Locale.ROOT, "Sensitivity: training a dense LeNet-300-100 for %d epochs on the training part%n",
                    options.epochs());
            out.flush();
            dense = ModelZoo.lenet300100(options.seed());
            dense.fit(split.trainIterator(options.batchSize(), options.seed()), options.epochs());
        }
        SensitivityAllocation allocation = SensitivityAllocation.analyse(dense, split.validationIterator(1000));
        out.printf(Locale.ROOT, "Sensitivity: curves of %d tensors measured on the validation split in %.1f s%n",
                allocation.curves().size(), (System.nanoTime() - start) / 1e9);
        out.flush();
        return allocation;
    }

    private SearchSpace space() {
        String[] parts = sparsityRange.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--sparsity-range must be MIN:MAX, e.g. 0.9:0.95, found '" + sparsityRange + "'");
        }
        SearchSpace.Range range;
        try {
            range = new SearchSpace.Range(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--sparsity-range must be MIN:MAX, e.g. 0.9:0.95, found '" + sparsityRange + "'");
        }
        List<AllocationMode> modes = new ArrayList<>();
        for (String a : allocations) {
            modes.add(AllocationMode.parse(a));
        }
        List<L1Mode> l1 = l1Modes.stream().map(L1Mode::parse).toList();
        List<PatternMode> ps = patterns.stream().map(PatternMode::parse).toList();
        return SearchSpace.defaults(teacherFile != null || trainTeacher).withSparsity(range).withAllocations(modes)
                .withL1Modes(l1).withPatterns(ps);
    }

    /** One line per candidate start and end; synchronized because candidates may run concurrently. */
    private static final class PrintingProgress implements SearchProgress {
        private final PrintWriter out;
        private final SearchConstraint constraint;

        PrintingProgress(PrintWriter out, SearchConstraint constraint) {
            this.out = out;
            this.constraint = constraint;
        }

        @Override
        public synchronized void candidateStarted(int index, CandidateSettings settings) {
            out.printf(Locale.ROOT, "candidate %d: %s%n", index, settings.describe());
            out.flush();
        }

        @Override
        public synchronized void candidateDone(CandidateRecord r) {
            if (r.metrics().isPresent()) {
                CandidateMetrics m = r.metrics().get();
                out.printf(Locale.ROOT, "candidate %d done in %.1f s: validation accuracy %.2f %%, sparsity %.4f, %d non-zero params,"
                                + " shrunk %s (%d params) %.3f ms vs %.3f ms full-size (ratio %.3f)%s%n",
                        r.index(), r.seconds(), 100 * m.validationAccuracy(), m.sparsity(), m.nonzeroParams(),
                        m.shrunkShape(), m.shrunkParams(), m.latencyMillis(), m.denseLatencyMillis(), m.latencyRatio(),
                        constraint.isFeasible(m) ? "" : " (infeasible)");
            } else {
                out.printf(Locale.ROOT, "candidate %d FAILED after %.1f s: %s%n", r.index(), r.seconds(), r.error().orElse(""));
            }
            out.flush();
        }
    }
}

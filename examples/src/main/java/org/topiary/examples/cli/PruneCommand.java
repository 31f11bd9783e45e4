package org.topiary.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.topiary.examples.io.AtomicFiles;
import org.topiary.examples.progress.ProgressReporter;
import org.topiary.examples.train.ModelFactory;
import org.topiary.examples.train.ModelZoo;
import org.topiary.examples.train.PrunedRun;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.RunSpec;
import org.topiary.examples.train.SparsityTraceListener;
import org.topiary.examples.train.TrainOptions;
import org.topiary.examples.train.Trainer;
import org.topiary.examples.train.TrainingData;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.Steps;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import org.topiary.sparsity.dl4j.persist.ResumableRun;
import org.topiary.sparsity.json.SparsityJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code topiary prune}: trains a model on Fashion-MNIST with gradual magnitude pruning (Zhu &amp;
 * Gupta cubic schedule) and reports accuracy and per-layer sparsity. The run folder gets the model
 * with its pruning state ({@code <run>.zip}), the configuration used ({@code pruning-config.json},
 * accepted back by {@code --config}), {@code report.md} and charts. With {@code --checkpoint-dir}
 * it writes checkpoints and {@code --resume} continues a killed run where it stopped.
 */
@Command(
        name = "prune",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "Train a model with gradual magnitude pruning (Zhu & Gupta cubic schedule) on"
                    + " Fashion-MNIST: sparsity grows from 0 at the end of --begin-epoch to"
                    + " --sparsity at the end of --end-epoch, masks updated every --frequency steps;"
                    + " later epochs fine-tune with fixed masks. Pruned weights stay exactly zero.",
            ""
        })
public final class PruneCommand implements Callable<Integer> {

    /** The models this command trains. */
    enum ModelChoice {
        lenet300100(ModelZoo::lenet300100),
        cnn(ModelZoo::smallCnn);

        final ModelFactory factory;

        ModelChoice(ModelFactory factory) {
            this.factory = factory;
        }
    }

    @Mixin private CommonOptions common;

    @Mixin private CheckpointOptions checkpoints;

    @Spec private CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "lenet300100",
            description = "lenet300100 (784-300-100-10) or cnn (the FMNIST-KD CNN). Default: ${DEFAULT-VALUE}.")
    private ModelChoice model;

    @Option(names = "--sparsity", paramLabel = "S", defaultValue = "0.9",
            description = "Final fraction of pruned weights per layer (layer scope) or overall (global), in [0, 1). Default: ${DEFAULT-VALUE}.")
    private double sparsity;

    @Option(names = "--begin-epoch", paramLabel = "E", defaultValue = "1",
            description = "Pruning starts at the end of this epoch (0 = from the first step). Default: ${DEFAULT-VALUE}.")
    private int beginEpoch;

    @Option(names = "--end-epoch", paramLabel = "E", defaultValue = "7",
            description = "The final sparsity is reached at the end of this epoch (<= --epochs). Default: ${DEFAULT-VALUE}.")
    private int endEpoch;

    @Option(names = "--frequency", paramLabel = "STEPS", defaultValue = "100",
            description = "Steps between mask updates (plus one at the end). Default: ${DEFAULT-VALUE}.")
    private long frequency;

    @Option(names = "--scope", paramLabel = "layer|global", defaultValue = "layer",
            description = "layer: every layer at the target; global: one magnitude threshold over all layers. Default: ${DEFAULT-VALUE}.")
    private String scope;

    @Option(names = "--override", paramLabel = "LAYER=S",
            description = "Give one layer (name such as fc1, or index) its own final sparsity; repeatable.")
    private Map<String, Double> overrides = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read the whole pruning configuration from Topiary JSON (e.g. a run's pruning-config.json or a search's best config); replaces --sparsity, --begin-epoch, --end-epoch, --frequency, --scope and --override.")
    private Path configFile;

    /** Creates the command; picocli fills its fields. */
    public PruneCommand() {}


    @Override
    public Integer call() throws IOException {
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        TrainOptions options = TrainOptions.of(common.epochs(), common.seed());
        long stepsPerEpoch = Steps.perEpoch(data.trainSize(), options.batchSize());
        PruningConfig config = config(stepsPerEpoch);
        Path configOut = session.outDir().resolve("pruning-config.json");
        AtomicFiles.writeString(configOut, SparsityJson.toJson(config));

        String name = "prune-" + Math.round(config.schedule().finalSparsity() * 100);
        Trainer trainer = Trainer.create(data, options, ProgressReporter.forConsole());
        Optional<ResumableRun> resumable =
                checkpoints.start(() -> model.factory.create(common.seed()), config,
                        p -> spec.commandLine().getErr().println("checkpoint: " + p));
        RunResult result;
        if (resumable.isEmpty()) {
            result = trainer.train(PrunedRun.of(name, model.factory, ctx -> config), session.outDir());
        } else {
            ResumableRun run = resumable.get();
            MultiLayerNetwork net = (MultiLayerNetwork) run.model();
            RunSpec resumed = RunSpec.of(name, seed -> net)
                    .withListeners(ctx -> List.of(SparsityTraceListener.every(100, config.schedule()::sparsityAt, ctx)))
                    .withWriter((n, file) -> PrunedModels.save(n, run.pruning().state(), file));
            run.resumedFrom().ifPresent(p -> spec.commandLine().getOut().println("Resuming from " + p + " at step " + run.startStep()));
            result = trainer.train(resumed, session.outDir(), run.startEpoch(), run.positionInEpoch(stepsPerEpoch));
        }
        session.finish(data, List.of(result));
        spec.commandLine().getOut().println("Config: " + configOut);
        return TopiaryCli.EXIT_OK;
    }

    private PruningConfig config(long stepsPerEpoch) {
        if (configFile != null) {
            try {
                return SparsityJson.configFromJson(Files.readString(configFile, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "--config: file not found: " + configFile);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--config: cannot read " + configFile + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--config " + configFile + ": " + e.getMessage());
            }
        }
        if (endEpoch > common.epochs()) {
            throw new ParameterException(spec.commandLine(),
                    "--end-epoch (" + endEpoch + ") must be <= --epochs (" + common.epochs() + ")");
        }
        if (beginEpoch >= endEpoch) {
            throw new ParameterException(spec.commandLine(),
                    "--end-epoch (" + endEpoch + ") must be > --begin-epoch (" + beginEpoch + ")");
        }
        return CliErrors.usage(spec, () -> {
            PruningConfig.Builder b =
                    PruningConfig.gradual(sparsity, Steps.atEndOfEpoch(beginEpoch, stepsPerEpoch),
                                    Steps.atEndOfEpoch(endEpoch, stepsPerEpoch), frequency)
                            .toBuilder()
                            .optScope(Scope.parse(scope));
            overrides.forEach(b::optOverride);
            return b.build();
        });
    }
}

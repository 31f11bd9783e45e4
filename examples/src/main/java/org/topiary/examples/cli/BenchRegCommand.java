package org.topiary.examples.cli;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.topiary.examples.bench.RegularizationBench;
import org.topiary.examples.data.FashionMnist;
import org.topiary.examples.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code topiary bench reg}: sparsity by regularization ({@link RegularizationBench}) on
 * LeNet-300-100: dense, proximal L1 over a λ sweep, proximal group lasso over hidden neurons
 * (dead neurons removed and the shrunk network re-evaluated), group lasso then masked fine-tuning,
 * Adam-aware proximal L1 and group lasso (alone and then masked fine-tuning), GMP 90% and
 * L1-then-GMP, all
 * paired with the dense run of the same seed.
 */
@Command(
        name = "reg",
        sortOptions = false,
        defaultValueProvider = ProtocolDefaults.class,
        description = {
            "Sparsity by regularization: LeNet-300-100, Adam 1e-3, batch 128; dense vs proximal L1"
                    + " (exact-zero weights), proximal group lasso (whole hidden neurons, removed and"
                    + " re-evaluated), GMP 90%% and L1-then-GMP, same init and batch order per seed."
                    + " About 1 minute per network on 2 cores with the full data.",
            ""
        })
public final class BenchRegCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(BenchRegCommand.class);

    @Mixin private CommonOptions common;

    @Spec private CommandSpec spec;

    @Option(names = "--seeds", split = ",", paramLabel = "N,N", defaultValue = "1,2,3",
            description = "Seeds (each one trains every arm). Default: ${DEFAULT-VALUE}.")
    private List<Long> seeds;

    @Option(names = "--arms", split = ",", paramLabel = "ARM,ARM", defaultValue = "dense,prox-l1,prox-group,group-ft,aprox-l1,aprox-ft,agroup,agroup-ft,gmp,l1-gmp",
            description = "Arms to run. Default: ${DEFAULT-VALUE}.")
    private List<String> arms;

    @Option(names = "--prox-l1", split = ",", paramLabel = "λ,λ", defaultValue = "0.02,0.05,0.1,0.2",
            description = "λ values of proximal L1 (threshold lr·λ per step). Default: ${DEFAULT-VALUE}.")
    private List<Double> proxL1;

    @Option(names = "--group", split = ",", paramLabel = "λ,λ", defaultValue = "0.05,0.1",
            description = "λ values of proximal group lasso on fc1 and fc2 neurons. Default: ${DEFAULT-VALUE}.")
    private List<Double> group;

    @Option(names = "--l1-gmp", paramLabel = "λ", defaultValue = "0.1",
            description = "λ of the proximal L1 that precedes GMP. Default: ${DEFAULT-VALUE}.")
    private double l1Gmp;

    @Option(names = "--l1-epochs", paramLabel = "E", defaultValue = "1",
            description = "Epochs of L1 before it stops in the l1-gmp arm. Default: ${DEFAULT-VALUE}.")
    private int l1Epochs;

    @Option(names = "--l1-layers", split = ",", paramLabel = "I,I", defaultValue = "0,1,2",
            description = "Layer indices that get proximal L1 in the prox-l1 arm. Default: ${DEFAULT-VALUE}.")
    private List<Integer> l1Layers;

    @Option(names = "--decay-epoch", paramLabel = "E", defaultValue = "0",
            description = "After this epoch λ of the prox-l1 and prox-group arms drops to λ·F (0: never)."
                    + " Default: ${DEFAULT-VALUE}.")
    private int decayEpoch;

    @Option(names = "--decay-factor", paramLabel = "F", defaultValue = "0.1",
            description = "F of --decay-epoch. Default: ${DEFAULT-VALUE}.")
    private double decayFactor;

    @Option(names = "--ft-epoch", paramLabel = "E", defaultValue = "4",
            description = "group-ft and aprox-ft arms: regularizer until this epoch, then its zeros are masked and"
                    + " the survivors fine-tuned. Default: ${DEFAULT-VALUE}.")
    private int ftEpoch;

    @Option(names = "--aprox-l1", split = ",", paramLabel = "λ,λ", defaultValue = "1e-4,3e-4",
            description = "λ values of Adam-aware proximal L1 (threshold λ·Adam's per-weight step), in units of"
                    + " the loss gradient. Default: ${DEFAULT-VALUE}.")
    private List<Double> aproxL1;

    @Option(names = "--agroup", split = ",", paramLabel = "λ,λ", defaultValue = "1e-4,3e-4",
            description = "λ values of Adam-aware proximal group lasso on fc1 and fc2 neurons (block threshold in"
                    + " Adam's metric), in units of the loss gradient. Default: ${DEFAULT-VALUE}.")
    private List<Double> agroup;

    @Option(names = "--ramp-epochs", paramLabel = "R", defaultValue = "0",
            description = "λ of every proximal arm rises linearly from 0 over the first R epochs (0: constant)."
                    + " Default: ${DEFAULT-VALUE}.")
    private int rampEpochs;

    @Option(names = "--threshold-cap", paramLabel = "K", defaultValue = "Infinity",
            description = "aprox-l1/aprox-ft: cap each weight's threshold, agroup/agroup-ft: each weight's step, at K"
                    + " times the step of a weight with the tensor's mean Adam second moment (Infinity: no cap)."
                    + " Default: ${DEFAULT-VALUE}.")
    private double thresholdCap;

    @Option(names = "--group-layer-factors", split = ",", paramLabel = "F1,F2", defaultValue = "1,1",
            description = "prox-group/group-ft/agroup/agroup-ft: λ multiplied by F1 on fc1 and F2 on fc2."
                    + " Default: ${DEFAULT-VALUE}.")
    private List<Double> groupLayerFactors;

    @Option(names = "--rgroup", split = ",", paramLabel = "λ", defaultValue = "0.1",
            description = "λ values of the rgroup-ft arm (reweighted group lasso, threshold lr·λ·c_g·sqrt(fan-in))."
                    + " Default: ${DEFAULT-VALUE}.")
    private List<Double> rgroup;

    @Option(names = "--reweight-gamma", paramLabel = "G", defaultValue = "1",
            description = "rgroup-ft: neuron g's λ is multiplied by (‖w_g‖/mean ‖w‖)^(-G), raprox-ft: weight i's"
                    + " threshold by (|w_i|/mean |w|)^(-G), norms taken when the penalty starts (0: no reweighting)."
                    + " Default: ${DEFAULT-VALUE}.")
    private double reweightGamma;

    @Option(names = "--reweight-epoch", paramLabel = "E", defaultValue = "1",
            description = "rgroup-ft, raprox-ft: dense epochs before the penalty starts and the reference norms are taken;"
                    + " must be before --ft-epoch. Default: ${DEFAULT-VALUE}.")
    private int reweightEpoch;

    @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0",
            description = "Train every arm on the training set minus a class-stratified fraction F (split with --seed)"
                    + " and report accuracy on that validation part as well as on the test set (0: whole training"
                    + " set, test set only). Default: ${DEFAULT-VALUE}.")
    private double validationFraction;

    @Mixin private MaxBatchesOption maxBatches;

    /** Creates the command; picocli fills its fields. */
    public BenchRegCommand() {}


    @Override
    public Integer call() {
        for (String arm : arms) {
            if (!RegularizationBench.ARMS.contains(arm)) {
                throw new ParameterException(spec.commandLine(),
                        "unknown arm '" + arm + "' in --arms; arms: " + RegularizationBench.ARMS);
            }
        }
        RegularizationBench.Options options = CliErrors.usage(spec, () -> new RegularizationBench.Options(seeds,
                common.epochs(), proxL1, group, l1Gmp, l1Epochs, Set.copyOf(arms), Set.copyOf(l1Layers), decayEpoch,
                decayFactor, ftEpoch, aproxL1, agroup, rampEpochs, thresholdCap, groupLayerFactors, rgroup, reweightGamma,
                reweightEpoch, validationFraction, null, false, maxBatches.value(), null));
        CommandSession session = CommandSession.start(spec, common);
        TrainingData data = session.loadData();
        RegularizationBench.Result result;
        if (validationFraction > 0) {
            FashionMnist fm = ((FashionMnistData) data).fashionMnist();
            result = RegularizationBench.run(fm, common.seed(), options, LOG::info);
            spec.commandLine().getOut().println("Validation accuracies are on " + result.validationSize()
                    + " held-out training examples; every arm trained on the rest: " + result.dataSource());
        } else {
            result = RegularizationBench.run(data, options, LOG::info);
        }
        String table = result.toMarkdown();
        session.finishBench("bench-reg.md", CommandSession.dataHeader(result.dataSource(), 1), table, result::toJson);
        return TopiaryCli.EXIT_OK;
    }
}

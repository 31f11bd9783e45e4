package org.topiary.sparsity.dl4j.persist;

import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.testkit.TestNets;

/**
 * Child-process main for {@code ResumeTest}: trains {@link Scenario} with checkpoints every
 * {@code every} steps, printing {@code saved <path>} after each, slowly enough to be killed mid-run.
 * Arguments: checkpoint folder, seed, checkpoint frequency, delay per step in ms.
 */
public final class TrainUntilKilled {
    private TrainUntilKilled() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        long every = Long.parseLong(args[2]);
        long delay = Long.parseLong(args[3]);
        Model model = Scenario.newModel(TestNets.Arch.MLN_DENSE, seed);
        model.addListeners(DivergenceGuard.create());
        PruningListener pruning = PruningListener.attach(model, Scenario.config());
        model.addListeners(Checkpointer.builder(dir).optEveryIterations(every).optKeepLast(2).optPruning(pruning)
                .optOnSaved(p -> {
                    System.out.println("saved " + p);
                    System.out.flush();
                })
                .build());
        Scenario.trainTo(model, seed, Scenario.TOTAL_STEPS, delay);
        System.out.println("finished");
    }
}

package org.topiary.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code topiary strip IN OUT}: a plain DL4J model zip with the masks baked in, without updater
 * state, Topiary entries or Topiary classes, which vanilla DL4J loads.
 */
@Command(
        name = "strip",
        description = "Finalize a pruned model: plain DL4J zip, zeros baked in, no updater state, no Topiary entries or classes.")
public final class StripCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "A Topiary checkpoint or DL4J zip.")
    private Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The plain DL4J zip to write (replaced atomically).")
    private Path out;

    @Mixin private HelpOption help;

    /** Creates the command; picocli fills its fields. */
    public StripCommand() {}

    @Override
    public Integer call() {
        return CliErrors.run(spec, o -> {
            PrunedModels.strip(in, out);
            o.printf("strip: %s (%d bytes) -> %s (%d bytes)%n", in, Files.size(in), out, Files.size(out));
        });
    }
}

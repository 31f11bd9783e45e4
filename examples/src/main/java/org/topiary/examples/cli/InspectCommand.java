package org.topiary.examples.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.topiary.sparsity.dl4j.persist.Inspection;
import org.topiary.sparsity.dl4j.persist.ModelInspector;
import org.topiary.sparsity.dl4j.persist.SafeFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code topiary inspect FILE [--json FILE]}: the per-tensor table (shape, non-zeros, sparsity,
 * bytes) and the pruning state of a DL4J zip, checkpoint or sparse file.
 */
@Command(
        name = "inspect",
        description = "Show per-layer shapes, non-zeros, sparsity and bytes of a model file, and its pruning state if any.")
public final class InspectCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A DL4J zip, a Topiary checkpoint or a sparse file.")
    private Path file;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the inspection as JSON (type topiary-inspection, version 1).")
    private Path json;

    @Mixin private HelpOption help;

    /** Creates the command; picocli fills its fields. */
    public InspectCommand() {}

    @Override
    public Integer call() {
        return CliErrors.run(spec, out -> {
            if (json != null) {
                SafeFiles.checkWritable(json);
            }
            Inspection i = ModelInspector.inspect(file);
            out.print(i.toText());
            out.flush();
            if (json != null) {
                SafeFiles.writeAtomically(json, i.toJson().getBytes(StandardCharsets.UTF_8));
            }
        });
    }
}

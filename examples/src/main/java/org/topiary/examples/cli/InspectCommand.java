package org.topiary.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.topiary.sparsity.dl4j.persist.Inspection;
import org.topiary.sparsity.dl4j.persist.ModelInspector;
import org.topiary.sparsity.dl4j.persist.SafeFiles;
import picocli.CommandLine.Command;
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

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** Creates the command; picocli fills its fields. */
    public InspectCommand() {}

    @Override
    public Integer call() {
        try {
            if (json != null) {
                SafeFiles.checkWritable(json);
            }
            Inspection i = ModelInspector.inspect(file);
            spec.commandLine().getOut().print(i.toText());
            spec.commandLine().getOut().flush();
            if (json != null) {
                byte[] text = i.toJson().getBytes(StandardCharsets.UTF_8);
                SafeFiles.writeAtomically(json, text);
            }
            return 0;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            return CliErrors.fail(spec, e);
        }
    }
}

package org.topiary.examples.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import org.topiary.sparsity.dl4j.persist.RestoredModel;
import org.topiary.sparsity.dl4j.persist.SafeFiles;
import org.topiary.sparsity.dl4j.surgery.LayerUnits;
import org.topiary.sparsity.dl4j.surgery.ShrinkReport;
import org.topiary.sparsity.dl4j.surgery.ShrunkModel;
import org.topiary.sparsity.dl4j.surgery.SurgeryPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code topiary shrink IN OUT}: removes the dead units of a model (neurons and filters whose
 * incoming weights are all zero, after applying the pruning state's masks if the file has one) and
 * writes the smaller model as a plain DL4J zip ({@link SurgeryPlan}, {@link ShrunkModel#save}).
 */
@Command(
        name = "shrink",
        description = {
            "Remove dead neurons and filters (all incoming weights zero, masks applied) and write the"
                    + " smaller model as a plain DL4J zip that loads without Topiary. Outputs are unchanged"
                    + " (inference mode, up to float rounding).",
            ""
        })
public final class ShrinkCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "A Topiary checkpoint or DL4J model zip.")
    private Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The plain DL4J zip to write (atomically).")
    private Path out;

    @Option(names = "--force", description = "Replace OUT if it exists.")
    private boolean force;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON (schema topiary-shrink, version 1).")
    private Path json;

    @Mixin private HelpOption help;

    /** Creates the command; picocli fills its fields. */
    public ShrinkCommand() {}

    @Override
    public Integer call() {
        return CliErrors.run(spec, o -> {
            if (Files.exists(out) && !force) {
                throw new IllegalArgumentException(out + " exists; pass --force to replace it, or choose another OUT");
            }
            SafeFiles.checkWritable(out);
            if (json != null) {
                SafeFiles.checkWritable(json);
            }
            RestoredModel restored = PrunedModels.restore(in);
            SurgeryPlan plan = restored.state().isPresent()
                    ? SurgeryPlan.of(restored.model(), restored.state().get())
                    : SurgeryPlan.of(restored.model());
            ShrunkModel shrunk = plan.apply();
            shrunk.save(out);
            ShrinkReport r = shrunk.report();
            long inBytes = Files.size(in);
            long outBytes = Files.size(out);
            o.printf(Locale.ROOT, "shrink: %s -> %s%n", in, out);
            o.print(r.toText().indent(2));
            o.printf(Locale.ROOT, "  file bytes: %d -> %d (%.1f%%)%n", inBytes, outBytes, 100.0 * outBytes / inBytes);
            for (LayerUnits l : r.layers()) {
                l.keptDead().entrySet().stream().limit(3).forEach(e ->
                        o.printf(Locale.ROOT, "  kept dead unit %d of layer %s: %s%n", e.getKey(), l.layer(), e.getValue()));
            }
            if (json != null) {
                SafeFiles.writeAtomically(json, json(r, inBytes, outBytes).getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    private String json(ShrinkReport r, long inBytes, long outBytes) {
        ObjectMapper m = BenchJson.mapper();
        ObjectNode n = BenchJson.document(m, "topiary-shrink", "shrink");
        n.put("input", in.toString());
        n.put("output", out.toString());
        n.put("params_before", r.paramsBefore());
        n.put("params_after", r.paramsAfter());
        n.put("input_bytes", inBytes);
        n.put("output_bytes", outBytes);
        n.put("removed_units", r.removedUnits());
        ArrayNode layers = n.putArray("layers");
        for (LayerUnits l : r.layers()) {
            ObjectNode x = layers.addObject();
            x.put("layer", l.layer());
            x.put("type", l.type());
            x.put("units_before", l.before());
            x.put("units_after", l.after());
            ArrayNode removed = x.putArray("removed");
            l.removed().forEach(removed::add);
            ObjectNode kept = x.putObject("kept_dead");
            l.keptDead().forEach((j, why) -> kept.put(String.valueOf(j), why));
        }
        return BenchJson.write(m, n);
    }
}

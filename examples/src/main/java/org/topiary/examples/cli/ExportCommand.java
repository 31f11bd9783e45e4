package org.topiary.examples.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.sparsity.dl4j.persist.Inspection;
import org.topiary.sparsity.dl4j.persist.ModelInspector;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import org.topiary.sparsity.dl4j.persist.SparseModelFormat;
import org.topiary.sparsity.dl4j.persist.SafeFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code topiary export IN --format sparse|dl4j --out FILE [--json FILE]}: writes a trained or
 * pruned model (a DL4J zip or checkpoint) as Topiary's sparse file or as a plain DL4J zip, and
 * prints the sizes: raw dense bytes, the plain DL4J zip of the same weights, the output, and the
 * ratios.
 */
@Command(
        name = "export",
        description = {
            "Export a model file (DL4J zip or Topiary checkpoint) as a sparse file (docs/sparse-format.md)",
            "or as a plain DL4J zip without Topiary entries, and print the file sizes."
        })
public final class ExportCommand implements Callable<Integer> {
    /** Output formats. */
    public enum Format {
        sparse,
        dl4j
    }

    @Spec private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "Model file: a DL4J zip or a Topiary checkpoint.")
    private Path in;

    @Option(names = "--format", required = true, paramLabel = "FORMAT",
            description = "sparse (Topiary sparse format; v2 with the N:M or block pattern metadata when the model has one) or dl4j (plain DL4J zip, masks baked in).")
    private Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (replaced atomically).")
    private Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the sizes as JSON.")
    private Path json;

    @Mixin private HelpOption help;

    /** Creates the command; picocli fills its fields. */
    public ExportCommand() {}

    @Override
    public Integer call() {
        return CliErrors.run(spec, o -> {
            SafeFiles.checkWritable(out);
            if (json != null) {
                SafeFiles.checkWritable(json);
            }
            org.topiary.sparsity.dl4j.persist.RestoredModel restored = PrunedModels.restore(in);
            Model model = restored.model();
            Inspection ins = ModelInspector.inspect(model, null);
            long rawDense = ins.rows().stream().mapToLong(Inspection.Row::denseBytes).sum();
            Path tmpDir = Files.createTempDirectory("topiary-export");
            long denseZip;
            try {
                Path plain = tmpDir.resolve("plain.zip");
                PrunedModels.strip(in, plain);
                denseZip = Files.size(plain);
                if (format == Format.dl4j) {
                    PrunedModels.strip(in, out);
                } else {
                    // from the restored model and its pruning state: N:M / block pattern metadata travels (format v2)
                    SparseModelFormat.write(model, restored.state().orElse(null), out);
                }
            } finally {
                try (var s = Files.list(tmpDir)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(tmpDir);
            }
            long outBytes = Files.size(out);
            double zeros = ins.report().sparsity();
            o.printf(Locale.ROOT, "export: %s -> %s (format %s)%n", in, out, format);
            o.printf(Locale.ROOT, "  params           %12d (%.2f%% zeros)%n", model.numParams(), 100 * zeros);
            o.printf(Locale.ROOT, "  raw dense bytes  %12d (every param value)%n", rawDense);
            o.printf(Locale.ROOT, "  dense zip bytes  %12d (plain DL4J zip of these weights)%n", denseZip);
            o.printf(Locale.ROOT, "  %-16s %12d (%s)%n", format == Format.sparse ? "sparse bytes" : "output bytes", outBytes, out.getFileName());
            o.printf(Locale.ROOT, "  ratio            %12.4f (output / dense zip)%n", (double) outBytes / denseZip);
            o.printf(Locale.ROOT, "  ratio            %12.4f (output / raw dense)%n", (double) outBytes / rawDense);
            if (json != null) {
                ObjectMapper m = new ObjectMapper();
                ObjectNode n = m.createObjectNode();
                n.put("command", "export");
                n.put("input", in.toString());
                n.put("output", out.toString());
                n.put("format", format.name());
                n.put("params", model.numParams());
                n.put("sparsity", zeros);
                n.put("raw_dense_bytes", rawDense);
                n.put("dense_zip_bytes", denseZip);
                n.put("output_bytes", outBytes);
                n.put("ratio_to_dense_zip", (double) outBytes / denseZip);
                n.put("ratio_to_raw_dense", (double) outBytes / rawDense);
                byte[] text = m.writerWithDefaultPrettyPrinter().writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
                SafeFiles.writeAtomically(json, text);
            }
        });
    }
}

package org.topiary.examples.persist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.examples.data.FashionMnist;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PruningListener;
import org.topiary.sparsity.dl4j.persist.PrunedModels;
import org.topiary.sparsity.dl4j.persist.SparseModelFormat;

/**
 * File sizes of a 90%-sparse LeNet-300-100 (FMNIST-GMP protocol, layer-wise): trains dense for
 * one epoch, saves the dense model as a plain DL4J zip, prunes gradually to 90% until 70% of the
 * steps and fine-tunes with fixed masks, then writes the same model four ways and compares sizes.
 *
 * <ul>
 *   <li>{@code dense.zip}: the model after the dense epoch, {@code ModelSerializer} without updater
 *       (what shipping the unpruned model costs);
 *   <li>{@code pruned.zip}: the pruned model, {@code ModelSerializer} without updater (zeros
 *       deflated by zip);
 *   <li>{@code checkpoint.zip}: {@code PrunedModels.save}, with Adam state and pruning state;
 *   <li>{@code final.zip}: {@code PrunedModels.strip} of the checkpoint;
 *   <li>{@code model.tsm}: {@code SparseModelFormat} v1.
 * </ul>
 *
 * Arguments: {@code [--data DIR|embedded] [--epochs N] [--seed S] [--out DIR] [--json FILE]};
 * defaults: the full data set if found (else the embedded subset), 10 epochs, seed 1, a temporary
 * folder.
 */
public final class SparseExportBenchmark {
    private SparseExportBenchmark() {}

    /** The measured sizes in bytes and the test accuracy of the pruned and the re-imported model. */
    public record Result(String data, int epochs, long steps, double sparsity, long denseZip, long prunedZip,
                         long checkpoint, long finalZip, long sparseFile, double accuracy, double accuracyReimported) {
        /** Sparse file / dense model zip. */
        public double ratioToDense() {
            return (double) sparseFile / denseZip;
        }

        /** Sparse file / pruned model zip. */
        public double ratioToPrunedZip() {
            return (double) sparseFile / prunedZip;
        }
    }

    public static void main(String[] args) throws IOException {
        Result r = run(args);
        print(r, System.out);
    }

    /** Runs the benchmark; see the class comment for the arguments. */
    public static Result run(String... args) throws IOException {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments are --name value pairs: --data, --epochs, --seed, --out, --json; found '" + args[i] + "'");
            }
            opt.put(args[i].substring(2), args[++i]);
        }
        String dataArg = opt.getOrDefault("data", "");
        FashionMnist data = dataArg.equals("embedded") ? FashionMnist.embedded()
                : dataArg.isEmpty() ? loadOrEmbedded() : FashionMnist.load(Path.of(dataArg));
        int epochs = Integer.parseInt(opt.getOrDefault("epochs", "10"));
        long seed = Long.parseLong(opt.getOrDefault("seed", "1"));
        Path out = opt.containsKey("out") ? Files.createDirectories(Path.of(opt.get("out"))) : Files.createTempDirectory("topiary-sizes");
        if (epochs < 2) {
            throw new IllegalArgumentException("epochs must be >= 2 (one dense epoch, then pruning), found " + epochs);
        }
        int batch = 128;
        long stepsPerEpoch = (data.trainSize() + batch - 1) / batch;
        long begin = stepsPerEpoch;
        long end = Math.max(begin + 1, Math.round(stepsPerEpoch * epochs * 0.7));
        long frequency = Math.max(1, Math.round((end - begin) / 28.14));
        PruningConfig config = PruningConfig.gradual(0.9, begin, end, frequency);

        MultiLayerNetwork net = lenet300100(seed);
        PruningListener pruning = PruningListener.attach(net, config);
        DataSetIterator train = data.trainIterator(batch, seed);
        net.fit(train, 1);
        Path dense = out.resolve("dense.zip");
        ModelSerializer.writeModel(net, dense.toFile(), false);
        net.fit(train, epochs - 1);

        Path pruned = out.resolve("pruned.zip");
        ModelSerializer.writeModel(net, pruned.toFile(), false);
        Path checkpoint = out.resolve("checkpoint.zip");
        PrunedModels.save(net, pruning.state(), checkpoint);
        Path finalZip = out.resolve("final.zip");
        PrunedModels.strip(checkpoint, finalZip);
        Path sparse = out.resolve("model.tsm");
        SparseModelFormat.export(finalZip, sparse);

        double acc = net.evaluate(data.testIterator(256)).accuracy();
        MultiLayerNetwork back = (MultiLayerNetwork) SparseModelFormat.read(sparse);
        double accBack = back.evaluate(data.testIterator(256)).accuracy();
        Result r = new Result(data.isEmbeddedSubset() ? "embedded" : "full", epochs, net.getIterationCount(),
                pruning.report().sparsity(), Files.size(dense), Files.size(pruned), Files.size(checkpoint),
                Files.size(finalZip), Files.size(sparse), acc, accBack);
        if (opt.containsKey("json")) {
            Files.writeString(Path.of(opt.get("json")), toJson(r), StandardCharsets.UTF_8);
        }
        return r;
    }

    private static FashionMnist loadOrEmbedded() {
        try {
            return FashionMnist.load(null);
        } catch (RuntimeException e) {
            return FashionMnist.embedded();
        }
    }

    /** LeNet-300-100: 784-300-100-10, ReLU, softmax + cross-entropy, Adam 1e-3. */
    public static MultiLayerNetwork lenet300100(long seed) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(1e-3))
                .list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(300).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(300).nOut(100).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(100).nOut(10).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    static String toJson(Result r) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode n = m.createObjectNode();
        n.put("benchmark", "sparse-export-sizes");
        n.put("model", "LeNet-300-100");
        n.put("data", r.data());
        n.put("epochs", r.epochs());
        n.put("steps", r.steps());
        n.put("sparsity", r.sparsity());
        n.put("dense_zip_bytes", r.denseZip());
        n.put("pruned_zip_bytes", r.prunedZip());
        n.put("checkpoint_bytes", r.checkpoint());
        n.put("final_zip_bytes", r.finalZip());
        n.put("sparse_file_bytes", r.sparseFile());
        n.put("sparse_to_dense_zip", r.ratioToDense());
        n.put("sparse_to_pruned_zip", r.ratioToPrunedZip());
        n.put("test_accuracy", r.accuracy());
        n.put("test_accuracy_reimported", r.accuracyReimported());
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "LeNet-300-100, %s data, %d epochs (%d steps), weight sparsity %.4f%n", r.data(), r.epochs(), r.steps(), r.sparsity());
        out.printf(Locale.ROOT, "%-16s %12s %10s%n", "file", "bytes", "/ dense");
        out.printf(Locale.ROOT, "%-16s %12d %10.4f%n", "dense.zip", r.denseZip(), 1.0);
        out.printf(Locale.ROOT, "%-16s %12d %10.4f%n", "pruned.zip", r.prunedZip(), (double) r.prunedZip() / r.denseZip());
        out.printf(Locale.ROOT, "%-16s %12d %10.4f%n", "checkpoint.zip", r.checkpoint(), (double) r.checkpoint() / r.denseZip());
        out.printf(Locale.ROOT, "%-16s %12d %10.4f%n", "final.zip", r.finalZip(), (double) r.finalZip() / r.denseZip());
        out.printf(Locale.ROOT, "%-16s %12d %10.4f%n", "model.tsm", r.sparseFile(), r.ratioToDense());
        out.printf(Locale.ROOT, "sparse / pruned zip %.4f; test accuracy %.4f, re-imported %.4f%n", r.ratioToPrunedZip(), r.accuracy(), r.accuracyReimported());
    }
}

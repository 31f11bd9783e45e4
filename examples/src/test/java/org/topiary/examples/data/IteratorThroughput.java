package org.topiary.examples.data;

import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A rough measure (not a test) of how many training examples per second the iterator alone
 * produces: one warm-up epoch, then the median of several timed epochs at batch 128.
 *
 * <pre>
 * mvn -B -q -pl examples -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt
 * java -cp examples/target/test-classes:examples/target/classes:$(cat examples/target/cp.txt) \
 *     org.topiary.examples.data.IteratorThroughput [DATA_DIR] [EPOCHS]
 * </pre>
 */
final class IteratorThroughput {

    private IteratorThroughput() {}

    public static void main(String[] args) {
        FashionMnist data = args.length > 0 ? FashionMnist.loadFrom(Path.of(args[0]))
                : FashionMnist.load(null);
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        DataSetIterator it = data.trainIterator(128, 1);
        drain(it); // warm-up: JIT, ND4J initialisation
        double[] rates = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            it.reset();
            long start = System.nanoTime();
            long examples = drain(it);
            rates[e] = examples / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf(
                "%s%nbatch 128: median %.0f examples/s over %d epochs (min %.0f, max %.0f)%n",
                data.source(), rates[epochs / 2], epochs, rates[0], rates[epochs - 1]);
    }

    private static long drain(DataSetIterator it) {
        long examples = 0;
        while (it.hasNext()) {
            DataSet batch = it.next();
            examples += batch.numExamples();
        }
        return examples;
    }
}

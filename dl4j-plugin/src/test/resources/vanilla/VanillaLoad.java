import java.io.File;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run with Java's single-file source launcher on a classpath without Topiary: loads a model zip with
 * plain ModelSerializer and prints facts the test compares. Not compiled by the build.
 */
public class VanillaLoad {
    public static void main(String[] args) throws Exception {
        try {
            Class.forName("org.topiary.sparsity.dl4j.PruningListener");
            System.out.println("topiary-on-classpath");
            return;
        } catch (ClassNotFoundException expected) {
            System.out.println("topiary-absent");
        }
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new File(args[0]), false);
        float[] p = net.params().dup().data().asFloat();
        long zeros = 0;
        long hash = 17;
        for (float v : p) {
            if (v == 0f) {
                zeros++;
            }
            hash = hash * 31 + Float.floatToRawIntBits(v);
        }
        System.out.println("params " + p.length + " zeros " + zeros + " hash " + hash);
        float[] out = net.output(input()).dup().data().asFloat();
        StringBuilder sb = new StringBuilder("output");
        for (float v : out) {
            sb.append(' ').append(Float.floatToRawIntBits(v));
        }
        System.out.println(sb);
    }

    /** A fixed 2x10 input: values -1 + 0.1 * i. */
    static org.nd4j.linalg.api.ndarray.INDArray input() {
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = -1f + 0.1f * i;
        }
        return Nd4j.create(x, new long[] {2, 10}, 'c');
    }
}

import java.io.*;
import java.nio.*;
import java.nio.file.*;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.topiary.distill.TeacherSource;
import org.topiary.examples.data.*;

public class Export {
    static void dump(String name, DataSetIterator it, TeacherSource[] teachers, Path dir) throws Exception {
        try (DataOutputStream x = out(dir.resolve(name + "_x.f32")); DataOutputStream y = out(dir.resolve(name + "_y.i32"))) {
            DataOutputStream[] z = new DataOutputStream[teachers.length];
            for (int k = 0; k < teachers.length; k++) z[k] = out(dir.resolve(name + "_t" + k + ".f32"));
            int n = 0;
            while (it.hasNext()) {
                DataSet b = it.next();
                INDArray f = b.getFeatures();
                write(x, f);
                INDArray lab = b.getLabels().argMax(1);
                for (int i = 0; i < lab.length(); i++) y.writeInt(Integer.reverseBytes(lab.getInt(i)));
                for (int k = 0; k < teachers.length; k++) write(z[k], teachers[k].logits(f));
                n += f.rows();
            }
            for (DataOutputStream s : z) s.close();
            System.out.println(name + ": " + n);
        }
    }
    static DataOutputStream out(Path p) throws IOException { return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p), 1 << 20)); }
    static void write(DataOutputStream s, INDArray a) throws IOException {
        float[] v = a.dup('c').data().asFloat();
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        s.write(bb.array());
    }
    public static void main(String[] a) throws Exception {
        Path dir = Paths.get(a[0]);
        FashionMnist data = FashionMnist.load(null);
        TrainValidationSplit split = data.split(0.1, 1);
        TeacherSource[] t54 = new TeacherSource[a.length - 1];
        for (int i = 1; i < a.length; i++) t54[i - 1] = TeacherSource.online(Paths.get(a[i]));
        dump("train54", split.train().iterator(500), t54, dir);
        dump("val6", split.validation().iterator(500), t54, dir);
        dump("test", data.testIterator(500), t54, dir);
    }
}

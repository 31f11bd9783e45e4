import java.nio.file.*;
import java.util.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.topiary.distill.*;
import org.topiary.examples.data.*;
import org.topiary.examples.train.ModelZoo;

/** Per-epoch validation accuracy of plain and KD (2 teachers, T 2, a 0.3) LeNet-300-100 students, DL4J. */
public class Curves {
    public static void main(String[] a) throws Exception {
        FashionMnist data = FashionMnist.load(null);
        TrainValidationSplit split = data.split(0.1, 1);
        TeacherSource teacher = TeacherSource.cached(
                TeacherSource.averaged(TeacherSource.online(Paths.get(a[0])), TeacherSource.online(Paths.get(a[1]))),
                split.train().iterator(500));
        StringBuilder json = new StringBuilder("[\n");
        for (int seed = 1; seed <= 6; seed++) {
            for (boolean kd : new boolean[] {false, true}) {
                MultiLayerNetwork net = ModelZoo.lenet300100(seed);
                DataSetIterator it = split.train().shuffledIterator(128, seed);
                DistillationTrainer<MultiLayerNetwork> tr = kd
                        ? DistillationTrainer.builder(net, teacher).optTemperature(2).optAlpha(0.3).optEpochs(1).build() : null;
                List<String> acc = new ArrayList<>();
                for (int e = 1; e <= 10; e++) {
                    if (tr != null) tr.fit(it); else net.fit(it);
                    acc.add(String.format(Locale.ROOT, "%.4f", net.evaluate(split.validationIterator(500)).accuracy() * 100));
                }
                String line = String.format("{\"framework\":\"dl4j\",\"init\":\"dl4j\",\"seed\":%d,\"arm\":\"%s\",\"val\":[%s]}", seed, kd ? "kd-K2-T2-a0.3" : "plain", String.join(",", acc));
                System.out.println(line);
                json.append(json.length() > 2 ? ",\n" : "").append(line);
                Files.writeString(Paths.get(a[2]), json + "\n]\n");
            }
        }
    }
}

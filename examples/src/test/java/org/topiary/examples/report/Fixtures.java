package org.topiary.examples.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.topiary.examples.backend.BackendInfo;
import org.topiary.examples.backend.MachineInfo;
import org.topiary.examples.backend.NativeThreads;
import org.topiary.examples.train.EpochStats;
import org.topiary.examples.train.LayerSparsity;
import org.topiary.examples.train.RunResult;
import org.topiary.examples.train.SparsityReport;
import org.topiary.examples.train.TracePoint;

/** Hand-made results with round numbers, so expected strings are easy to check. */
final class Fixtures {

    private Fixtures() {}

    static RunResult run(String name, int epochs, boolean traced) {
        List<EpochStats> stats = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            stats.add(new EpochStats(e, 1.0 / e, 0.80 + 0.01 * e, 10.0, 60_000));
        }
        long zeros = traced ? 211_680 : 0; // 90 % of fc1
        SparsityReport weights =
                new SparsityReport(
                        List.of(
                                new LayerSparsity("0_W", "fc1", "DenseLayer", List.of(784L, 300L), 235_200 - zeros),
                                new LayerSparsity("1_W", "fc2", "DenseLayer", List.of(300L, 100L), 30_000),
                                new LayerSparsity("2_W", "out", "OutputLayer", List.of(100L, 10L), 1_000)),
                        266_610,
                        266_610 - zeros);
        List<TracePoint> trace =
                traced
                        ? List.of(new TracePoint(1, 0, 0), new TracePoint(100, 0.5, 0.49), new TracePoint(200, 0.9, 0.9))
                        : List.of();
        return new RunResult(name, 1, 128, stats, weights, Path.of(name + ".zip"), 1_048_576, trace);
    }

    static CommandReport report(Path outDir, List<RunResult> runs) {
        return new CommandReport(
                "demo",
                List.of("--epochs", "2"),
                Instant.parse("2025-01-02T03:04:05Z"),
                new DataSummary("/data/fmnist (full: 60000 train / 10000 test)", false, 60_000, 10_000),
                new BackendInfo("CPU", "OPENBLAS", new NativeThreads.Snapshot(1, 1, 1), List.of()),
                new MachineInfo("Test CPU", 2, 8L << 30, "Linux 6.1 amd64", "OpenJDK 17", "1.0.0-M2.1"),
                outDir,
                runs);
    }
}

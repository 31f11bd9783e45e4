package org.topiary.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @TempDir Path dir;

    @Test
    void runsWithoutTrace_getAccuracyAndLayerCharts_only() throws Exception {
        List<Charts.ChartFile> files = Charts.writeAll(dir, List.of(Fixtures.run("dense", 1, false)));

        assertThat(files)
                .extracting(Charts.ChartFile::fileName)
                .containsExactly(Charts.ACCURACY, Charts.LAYER_SPARSITY);
        for (Charts.ChartFile f : files) {
            PngAssertions.assertValidPng(dir.resolve(f.fileName()));
        }
        assertThat(dir.resolve(Charts.SCHEDULE)).doesNotExist();
    }

    @Test
    void aTracedRun_addsTheScheduleChart() throws Exception {
        List<Charts.ChartFile> files =
                Charts.writeAll(dir, List.of(Fixtures.run("dense", 3, false), Fixtures.run("gmp-90", 3, true)));

        assertThat(files)
                .extracting(Charts.ChartFile::fileName)
                .containsExactly(Charts.ACCURACY, Charts.SCHEDULE, Charts.LAYER_SPARSITY);
        PngAssertions.assertValidPng(dir.resolve(Charts.SCHEDULE));
        try (var listing = Files.list(dir)) {
            assertThat(listing).hasSize(3); // no temporary files left behind
        }
    }

    @Test
    void markdownReport_linksEveryChart_andNamesDataAndMachine() {
        CommandReport report = Fixtures.report(dir, List.of(Fixtures.run("gmp-90", 2, true)));
        List<Charts.ChartFile> files = Charts.writeAll(dir, report.runs());

        String md = MarkdownReport.render(report, files);

        assertThat(md)
                .startsWith("# topiary demo\n")
                .contains("- Command: `topiary demo --epochs 2`")
                .contains("- Data: /data/fmnist (full: 60000 train / 10000 test)")
                .contains("- Machine: Test CPU, 2 logical CPUs, 8.0 GiB RAM")
                .contains("- Backend: ND4J CPU (OPENBLAS), 1 native thread")
                .contains("| gmp-90 | 82.00 % |")
                .contains("![Test accuracy per epoch](accuracy.png)")
                .contains("(sparsity-schedule.png)")
                .contains("(layer-sparsity.png)");
    }
}

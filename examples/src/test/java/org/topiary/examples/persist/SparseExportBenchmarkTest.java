package org.topiary.examples.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseExportBenchmarkTest {
    @TempDir Path tmp;

    @Test
    void ninetyPercentSparseLenet_sparseFileIsAtMost15PercentOfTheDenseZip() throws Exception {
        Path json = tmp.resolve("sizes.json");
        SparseExportBenchmark.Result r = SparseExportBenchmark.run("--data", "embedded", "--epochs", "2", "--out", tmp.toString(), "--json", json.toString());
        assertThat(r.sparsity()).isGreaterThan(0.89);
        assertThat(r.ratioToDense()).isLessThanOrEqualTo(0.15);
        assertThat(r.sparseFile()).isLessThan(r.prunedZip()).isLessThan(r.finalZip());
        assertThat(r.accuracyReimported()).isEqualTo(r.accuracy());
        assertThat(Files.readString(json)).contains("\"sparse_file_bytes\" : " + r.sparseFile());
    }
}

package org.topiary.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

    private final List<org.topiary.examples.train.RunResult> runs =
            List.of(Fixtures.run("dense", 2, false), Fixtures.run("gmp-90", 2, true));

    @Test
    void summary_showsEveryHeadlineNumber_formatted() {
        ResultsTable table = ResultsTable.summary(runs);

        assertThat(table.header())
                .containsExactly(
                        "run", "test accuracy", "sparsity", "layer sparsity", "non-zero params",
                        "model file", "train time", "examples/s");
        assertThat(table.rows().get(1))
                .containsExactly(
                        "gmp-90", "82.00 %", "79.5 %", "90.0% / 0.0% / 0.0%", "54,930",
                        "1.00 MiB", "20.0 s", "6,000");
    }

    @Test
    void text_alignsColumns_withARuleUnderTheHeader() {
        String[] lines = ResultsTable.summary(runs).toText().split("\n");

        assertThat(lines).hasSize(4);
        assertThat(lines[1]).matches("[- ]+");
        int accuracyEnd = lines[0].indexOf("test accuracy") + "test accuracy".length();
        assertThat(lines[2].substring(0, accuracyEnd)).endsWith("82.00 %");
        assertThat(lines[3].substring(0, accuracyEnd)).endsWith("82.00 %");
    }

    @Test
    void markdown_isAPipeTable_withRightAlignedNumbers() {
        String md = ResultsTable.layers(runs).toMarkdown();

        assertThat(md.split("\n"))
                .hasSize(2 + 6)
                .startsWith(
                        "| run | layer | param | shape | non-zero | sparsity |",
                        "| --- | --- | --- | ---: | ---: | ---: |");
        assertThat(md).contains("| gmp-90 | fc1 | 0_W | 784x300 | 23,520 / 235,200 | 90.0 % |");
    }
}

package org.topiary.sparsity.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.structure.GroupScorer;
import org.topiary.sparsity.structure.SparsityPattern;

class PatternJsonTest {

    /** The configuration that {@code pruning-config-v2-nofm.json} holds; kept to regenerate it. */
    static PruningConfig goldenNOfM() {
        return PruningConfig.builder()
                .setSchedule(SparsitySchedule.polynomial(0.0, 0.5, 469, 3283))
                .optWindow(new UpdateWindow(469, 3283, 100))
                .optPattern(SparsityPattern.nOfM(2, 4))
                .optLayerTypes("DenseLayer")
                .build();
    }

    /** The configuration that {@code pruning-config-v2-groups.json} holds. */
    static PruningConfig goldenGroups() {
        return PruningConfig.builder()
                .setSchedule(SparsitySchedule.oneShot(0.5, 10))
                .optWindow(UpdateWindow.once(10))
                .optPattern(SparsityPattern.groups(GroupScorer.taylor()))
                .optExclude("2")
                .build();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PatternJsonTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyPatternRoundTrips() {
        PruningConfig base = PruningConfig.oneShot(0.5, 3);
        for (SparsityPattern p : new SparsityPattern[] {
            SparsityPattern.groups(GroupScorer.l1()),
            SparsityPattern.groups(GroupScorer.l2()),
            SparsityPattern.groups(GroupScorer.taylor()),
            SparsityPattern.groups(GroupScorer.random(42)),
            SparsityPattern.nOfM(2, 4),
            SparsityPattern.nOfM(4, 8),
            SparsityPattern.blocks(1, 4),
            SparsityPattern.blocks(4, 4)
        }) {
            PruningConfig c = base.toBuilder().optPattern(p).build();
            assertThat(SparsityJson.configFromJson(SparsityJson.toJson(c))).as(p.toString()).isEqualTo(c);
        }
    }

    @Test
    void goldenVersion2FilesStillRead() throws IOException {
        assertThat(SparsityJson.configFromJson(resource("pruning-config-v2-nofm.json"))).isEqualTo(goldenNOfM());
        assertThat(SparsityJson.configFromJson(resource("pruning-config-v2-groups.json"))).isEqualTo(goldenGroups());
    }

    @Test
    void writesVersion2OnlyWhenThePatternNeedsIt() {
        assertThat(SparsityJson.toJson(goldenNOfM())).contains("\"version\" : 2", "\"n-of-m\"");
        assertThat(SparsityJson.toJson(PruningConfig.oneShot(0.5, 3))).contains("\"version\" : 1").doesNotContain("pattern");
    }

    @Test
    void aPatternInAVersion1DocumentIsRefused() {
        String json = SparsityJson.toJson(goldenNOfM()).replace("\"version\" : 2", "\"version\" : 1");
        assertThatThrownBy(() -> SparsityJson.configFromJson(json))
                .isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("$.pattern needs version 2");
    }

    @Test
    void badPatternsNameTheJsonPath() {
        String json = SparsityJson.toJson(goldenNOfM());
        assertThatThrownBy(() -> SparsityJson.configFromJson(json.replace("\"n\" : 2", "\"n\" : 5")))
                .isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("$.pattern: n must be in [1, m)");
        assertThatThrownBy(() -> SparsityJson.configFromJson(json.replace("n-of-m", "diagonal")))
                .hasMessageContaining("$.pattern.type 'diagonal' is not a known pattern");
        String groups = SparsityJson.toJson(goldenGroups());
        assertThatThrownBy(() -> SparsityJson.configFromJson(groups.replace("taylor", "hessian")))
                .hasMessageContaining("$.pattern.scorer.type 'hessian' is not a known group scorer");
        assertThatThrownBy(() -> SparsityJson.configFromJson(json.replace("\"finalSparsity\" : 0.5", "\"finalSparsity\" : 0.75")))
                .isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("finalSparsity must be exactly that");
    }
}

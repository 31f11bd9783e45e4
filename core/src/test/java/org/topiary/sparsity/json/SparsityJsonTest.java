package org.topiary.sparsity.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.topiary.sparsity.ImportanceScorer;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;

class SparsityJsonTest {

    /** The configuration that {@code pruning-config-v1.json} holds; kept to regenerate it. */
    static PruningConfig goldenConfig() {
        return PruningConfig.builder()
                .setSchedule(SparsitySchedule.polynomial(0.0, 0.9, 469, 3283))
                .optWindow(new UpdateWindow(469, 3283, 100))
                .optScope(Scope.GLOBAL)
                .optScorer(ImportanceScorer.magnitude())
                .optStrategy(MaskStrategy.lowestScores())
                .optLayerTypes("DenseLayer", "OutputLayer")
                .optParamKeys("W")
                .optExclude("3")
                .optOverride("2", 0.5)
                .build();
    }

    @Test
    void configRoundTrips() {
        PruningConfig c = goldenConfig();
        assertThat(SparsityJson.configFromJson(SparsityJson.toJson(c))).isEqualTo(c);
        PruningConfig r = PruningConfig.oneShot(0.8, 10).toBuilder().optScorer(ImportanceScorer.random(7)).optStrategy(MaskStrategy.lowestScoresWithRegrowth()).build();
        assertThat(SparsityJson.configFromJson(SparsityJson.toJson(r))).isEqualTo(r);
    }

    @Test
    void goldenVersion1FileStillReads() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("pruning-config-v1.json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(SparsityJson.configFromJson(json)).isEqualTo(goldenConfig());
        }
    }

    @Test
    void writesStableTypeIdsNotClassNames() {
        String json = SparsityJson.toJson(goldenConfig());
        assertThat(json).contains("\"type\" : \"topiary-pruning\"", "\"version\" : 1", "\"polynomial-decay\"", "\"magnitude\"");
        assertThat(json).doesNotContain("org.topiary");
    }

    @Test
    void unknownVersionSaysWhatToDo() {
        String json = SparsityJson.toJson(goldenConfig()).replace("\"version\" : 1", "\"version\" : 7");
        assertThatThrownBy(() -> SparsityJson.configFromJson(json))
                .isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("$.version 7 is not supported")
                .hasMessageContaining("Upgrade Topiary");
    }

    @Test
    void unknownScheduleTypeListsTheKnownOnes() {
        String json = SparsityJson.toJson(goldenConfig()).replace("polynomial-decay", "cosine");
        assertThatThrownBy(() -> SparsityJson.configFromJson(json))
                .hasMessageContaining("$.schedule.type 'cosine' is not a known schedule")
                .hasMessageContaining("polynomial-decay");
    }

    @Test
    void invalidValueNamesTheJsonPathAndField() {
        String json = SparsityJson.toJson(goldenConfig()).replace("\"finalSparsity\" : 0.9", "\"finalSparsity\" : 1.5");
        assertThatThrownBy(() -> SparsityJson.configFromJson(json))
                .isInstanceOf(ConfigFormatException.class)
                .hasMessage("$.schedule: finalSparsity must be in [0, 1), found 1.5");
    }

    @Test
    void missingFieldIsNamed() {
        String json = "{\"type\": \"topiary-pruning\", \"version\": 1}";
        assertThatThrownBy(() -> SparsityJson.configFromJson(json)).hasMessage("$.schedule is missing; add it");
    }

    @Test
    void malformedJsonIsAClearError() {
        assertThatThrownBy(() -> SparsityJson.configFromJson("{\"type\": ")).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> SparsityJson.configFromJson("  ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> SparsityJson.configFromJson("{\"type\": \"x\", \"version\": 1}"))
                .hasMessageContaining("this is not a Topiary pruning configuration");
    }

    @Test
    void wrongTypesAreNamed() {
        String json = SparsityJson.toJson(goldenConfig()).replace("\"frequency\" : 100", "\"frequency\" : \"often\"");
        assertThatThrownBy(() -> SparsityJson.configFromJson(json)).hasMessage("$.window.frequency must be a whole number, found \"often\"");
    }
}

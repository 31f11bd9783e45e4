package org.topiary.sparsity.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.topiary.sparsity.Pruner;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsitySchedule;

class PatternConfigTest {

    @Test
    void defaultPatternIsElements() {
        assertThat(PruningConfig.gradual(0.9, 0, 100, 10).pattern()).isEqualTo(SparsityPattern.elements());
    }

    @Test
    void structuredPatternsRefuseGlobalScope() {
        assertThatThrownBy(() -> PruningConfig.gradual(0.5, 0, 100, 10).toBuilder()
                        .optScope(Scope.GLOBAL)
                        .optPattern(SparsityPattern.groups(GroupScorer.l1()))
                        .build())
                .hasMessageContaining("scope must be layer");
    }

    @Test
    void nOfMNeedsTheMatchingFinalSparsity() {
        assertThatThrownBy(() -> PruningConfig.gradual(0.9, 0, 100, 10).toBuilder().optPattern(SparsityPattern.nOfM(2, 4)).build())
                .hasMessageContaining("finalSparsity must be exactly that, found 0.9");
        PruningConfig ok = PruningConfig.gradual(0.5, 0, 100, 10).toBuilder().optPattern(SparsityPattern.nOfM(4, 8)).build();
        assertThat(ok.pattern()).isEqualTo(SparsityPattern.nOfM(4, 8));
        assertThatThrownBy(() -> ok.toBuilder().optOverride("0", 0.25).build()).hasMessageContaining("remove the overrides");
    }

    @Test
    void invalidPatternValuesNameTheField() {
        assertThatThrownBy(() -> SparsityPattern.nOfM(4, 4)).hasMessageContaining("n must be in [1, m)");
        assertThatThrownBy(() -> SparsityPattern.nOfM(1, 1)).hasMessageContaining("m must be in [2, 64]");
        assertThatThrownBy(() -> SparsityPattern.blocks(0, 4)).hasMessageContaining("rows must be >= 1, found 0");
        assertThatThrownBy(() -> SparsityPattern.blocks(1, 1)).hasMessageContaining("1x1");
        assertThatThrownBy(() -> SparsityPattern.groups(null)).hasMessageContaining("scorer must not be null");
    }

    @Test
    void elementPrunerRefusesAStructuredConfigAndViceVersa() {
        PruningConfig groups = PruningConfig.builder()
                .setSchedule(SparsitySchedule.oneShot(0.5, 1))
                .optPattern(SparsityPattern.groups(GroupScorer.taylor()))
                .build();
        assertThatThrownBy(() -> Pruner.of(groups)).hasMessageContaining("StructuredPruner");
        assertThatThrownBy(() -> StructuredPruner.of(PruningConfig.oneShot(0.5, 1))).hasMessageContaining("Pruner.of");
    }

    @Test
    void toStringShowsThePattern() {
        PruningConfig c = PruningConfig.gradual(0.5, 0, 100, 10).toBuilder().optPattern(SparsityPattern.nOfM(2, 4)).build();
        assertThat(c.toString()).contains("pattern=2:4");
    }
}

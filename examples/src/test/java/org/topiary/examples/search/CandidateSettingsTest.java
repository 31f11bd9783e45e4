package org.topiary.examples.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.topiary.examples.train.ModelZoo;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.dl4j.conf.ProximalL1;
import org.topiary.sparsity.dl4j.conf.ScheduledL1;
import org.topiary.sparsity.json.SparsityJson;
import org.topiary.sparsity.structure.GroupScorer;
import org.topiary.sparsity.structure.SparsityPattern;

class CandidateSettingsTest {

    /** FMNIST-GMP on the full set: 469 steps per epoch, 10 epochs. */
    static final long FULL_STEPS = 4690;

    @Test
    void fmnistGmpSettings_giveTheProtocolSchedule() {
        PruningConfig c = CandidateSettings.fmnistGmp().pruningConfig(FULL_STEPS, LayerAllocator.unavailable());
        assertThat(c.schedule().beginStep()).isEqualTo(469);
        assertThat(c.schedule().endStep()).isEqualTo(3283);
        assertThat(c.window().frequency()).isEqualTo(100);
        assertThat(c.schedule().finalSparsity()).isEqualTo(0.9);
        assertThat(c.scope()).isEqualTo(Scope.LAYER);
        assertThat(SparsityJson.configFromJson(SparsityJson.toJson(c))).isEqualTo(c);
    }

    @Test
    void globalAllocation_usesGlobalScope() {
        CandidateSettings s = CandidateSettings.of(0.9, 0.1, 0.7, 100, AllocationMode.GLOBAL, L1Mode.NONE, 0, false, 1, 1);
        assertThat(s.pruningConfig(FULL_STEPS, LayerAllocator.unavailable()).scope()).isEqualTo(Scope.GLOBAL);
    }

    @Test
    void sensitivityAllocation_turnsTheAllocatorsTargetsIntoOverrides() {
        CandidateSettings s = CandidateSettings.of(0.9, 0.1, 0.7, 100, AllocationMode.SENSITIVITY, L1Mode.NONE, 0, false, 1, 1);
        PruningConfig c = s.pruningConfig(FULL_STEPS, target -> Map.of("fc1", 0.95, "fc2", 0.8, "out", 0.5));
        assertThat(c.scope()).isEqualTo(Scope.LAYER);
        assertThat(c.overrides()).containsEntry("fc1", 0.95).containsEntry("out", 0.5);
        assertThatThrownBy(() -> s.pruningConfig(FULL_STEPS, LayerAllocator.unavailable()))
                .hasMessageContaining("allocation 'sensitivity' needs a sensitivity analysis");
    }

    @Test
    void shortRuns_keepAValidWindow() {
        CandidateSettings s = CandidateSettings.of(0.5, 0.19, 0.2, 200, AllocationMode.LAYER, L1Mode.NONE, 0, false, 1, 1);
        PruningConfig c = s.pruningConfig(5, LayerAllocator.unavailable());
        assertThat(c.schedule().endStep()).isGreaterThan(c.schedule().beginStep());
        assertThat(c.window().frequency()).isEqualTo(1);
    }

    @Test
    void l1Modes_giveTheMatchingRegularizerThatSwitchesOffAtTheEndOfPruning() {
        CandidateSettings l1 = CandidateSettings.of(0.9, 0.1, 0.7, 100, AllocationMode.LAYER, L1Mode.L1, 1e-3, false, 1, 1);
        CandidateSettings prox = CandidateSettings.of(0.9, 0.1, 0.7, 100, AllocationMode.LAYER, L1Mode.PROXIMAL, 1e-3, false, 1, 1);
        List<Regularization> a = l1.regularizers(FULL_STEPS);
        List<Regularization> b = prox.regularizers(FULL_STEPS);
        assertThat(a).singleElement().isInstanceOf(ScheduledL1.class);
        assertThat(b).singleElement().isInstanceOf(ProximalL1.class);
        ScheduledL1 r = (ScheduledL1) a.get(0);
        assertThat(r.lambda().valueAt(3282, 0)).isEqualTo(1e-3);
        assertThat(r.lambda().valueAt(3283, 0)).isEqualTo(0.0);
        assertThat(CandidateSettings.fmnistGmp().regularizers(FULL_STEPS)).isEmpty();
    }

    @Test
    void unusedValues_areNormalised() {
        CandidateSettings a = CandidateSettings.of(0.9, 0.1, 0.7, 100, AllocationMode.LAYER, L1Mode.NONE, 0.5, false, 3, 0.2);
        assertThat(a).isEqualTo(CandidateSettings.fmnistGmp());
    }

    @Test
    void invalidSettings_nameTheField() {
        assertThatThrownBy(() -> CandidateSettings.of(1.0, 0.1, 0.7, 100, AllocationMode.LAYER, L1Mode.NONE, 0, false, 1, 1))
                .hasMessageContaining("finalSparsity");
        assertThatThrownBy(() -> CandidateSettings.of(0.9, 0.5, 0.4, 100, AllocationMode.LAYER, L1Mode.NONE, 0, false, 1, 1))
                .hasMessageContaining("endFraction");
        assertThatThrownBy(() -> CandidateSettings.of(0.9, 0.1, 0.7, 100, AllocationMode.LAYER, L1Mode.NONE, 0, true, 0, 1))
                .hasMessageContaining("temperature");
    }

    @Test
    void searchNetWithoutRegularizers_isModelZoosLenet() {
        assertThat(SearchNets.lenet300100(3, List.of()).getLayerWiseConfigurations().toJson())
                .isEqualTo(ModelZoo.lenet300100(3).getLayerWiseConfigurations().toJson());
    }

    @Test
    void neuronsPattern_prunesGroupsLayerByLayer_andRoundTripsAsPruneConfig() {
        CandidateSettings s = CandidateSettings.fmnistGmp().withPattern(PatternMode.NEURONS);
        PruningConfig c = s.pruningConfig(FULL_STEPS, LayerAllocator.unavailable());
        assertThat(c.pattern()).isEqualTo(SparsityPattern.groups(GroupScorer.l1()));
        assertThat(c.scope()).isEqualTo(Scope.LAYER);
        assertThat(SparsityJson.configFromJson(SparsityJson.toJson(c))).isEqualTo(c);
        assertThat(s.describe()).endsWith("kd=off neurons");
        assertThat(CandidateSettings.fmnistGmp().describe()).endsWith("kd=off");
        assertThat(CandidateSettings.fmnistGmp().pattern()).isEqualTo(PatternMode.UNSTRUCTURED);
        assertThat(CandidateSettings.fmnistGmp().pruningConfig(FULL_STEPS, LayerAllocator.unavailable()).pattern())
                .isEqualTo(SparsityPattern.elements());
    }

    @Test
    void neuronsPattern_normalisesTheAllocationToLayer_andTheConstructorRefusesOthers() {
        CandidateSettings global = CandidateSettings.of(0.9, 0.1, 0.7, 100, AllocationMode.GLOBAL, L1Mode.NONE, 0, false, 1, 1);
        assertThat(global.withPattern(PatternMode.NEURONS).allocation()).isEqualTo(AllocationMode.LAYER);
        assertThat(global.withPattern(PatternMode.UNSTRUCTURED)).isEqualTo(global);
        assertThatThrownBy(() -> new CandidateSettings(0.9, 0.1, 0.7, 100, AllocationMode.GLOBAL, L1Mode.NONE, 0, false, 1, 1,
                PatternMode.NEURONS)).hasMessageStartingWith("allocation must be layer when pattern is neurons");
        assertThatThrownBy(() -> global.withPattern(null)).hasMessage("pattern must not be null");
        assertThatThrownBy(() -> PatternMode.parse("rows")).hasMessage("pattern must be one of unstructured, neurons, found 'rows'");
        assertThat(PatternMode.parse(" Neurons ")).isEqualTo(PatternMode.NEURONS);
    }
}

package org.topiary.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

    private static List<Map.Entry<String, String>> all(String... args) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        BenchArgs.pairs(args, Set.of("--embedded")).forEach(out::add);
        return out;
    }

    @Test
    void pairsNamesWithValuesAndFlagsWithTrue() {
        assertThat(all("--epochs", "3", "--embedded", "--data", "--embedded"))
                .containsExactly(Map.entry("--epochs", "3"), Map.entry("--embedded", "true"),
                        Map.entry("--data", "--embedded"));
        assertThat(all()).isEmpty();
    }

    @Test
    void aMissingLastValueIsNamed() {
        assertThatThrownBy(() -> all("--epochs", "3", "--seeds"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--seeds needs a value");
    }

    @Test
    void anEarlierUnknownOptionIsReportedBeforeAMissingLastValue() {
        // what the parsers reported when each walked args itself (before BenchArgs)
        assertThatThrownBy(() -> RegularizationBench.Options.parse("--bogus", "1", "--epochs"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown option --bogus");
        assertThatThrownBy(() -> DistillationBench.Options.parse("--epochs", "x", "--seeds"))
                .isInstanceOf(NumberFormatException.class);
    }
}

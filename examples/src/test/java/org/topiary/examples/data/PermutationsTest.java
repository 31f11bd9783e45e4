package org.topiary.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented SplitMix64 + Fisher–Yates permutations, reproducible outside Java. */
class PermutationsTest {

    /*
     * Expected orders computed with an independent Python 3 transcription of the algorithm in
     * the Permutations class comment (64-bit arithmetic masked with 2**64 - 1).
     */
    @Test
    void epochOrders_matchAPythonTranscriptionOfTheDocumentedAlgorithm() {
        assertThat(Permutations.mix64(1)).isEqualTo(0x5692161d100b05e5L);
        assertThat(Permutations.epochOrder(10, 1, 0))
                .containsExactly(8, 2, 7, 4, 0, 9, 6, 3, 1, 5);
        assertThat(Permutations.epochOrder(10, 1, 1))
                .containsExactly(5, 0, 7, 8, 1, 2, 4, 6, 3, 9);
        assertThat(Permutations.epochOrder(10, 42, 0))
                .containsExactly(4, 3, 6, 9, 7, 8, 5, 2, 1, 0);
        assertThat(Arrays.copyOf(Permutations.epochOrder(60_000, 1, 0), 8))
                .containsExactly(4049, 52327, 46014, 59616, 5776, 36356, 19961, 31912);
    }

    @Test
    void everyOrder_isAPermutation() {
        for (int n : new int[] {0, 1, 2, 17, 1000}) {
            int[] sorted = Permutations.epochOrder(n, -5, 3);
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertThat(sorted[i]).isEqualTo(i);
            }
            assertThat(sorted).hasSize(n);
        }
    }

    @Test
    void allSixOrdersOfThree_appearEquallyOften() {
        Map<String, Integer> counts = new HashMap<>();
        int keys = 60_000;
        for (int key = 0; key < keys; key++) {
            counts.merge(Arrays.toString(Permutations.shuffled(3, key * 7919L)), 1, Integer::sum);
        }

        assertThat(counts).hasSize(6);
        // 10,000 expected each; the standard deviation is ~91, so +-500 is > 5 sigma.
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(9_500, 10_500));
    }

    @Test
    void validationKeys_differFromEpochKeys() {
        assertThat(Permutations.classOrder(1000, 1, 0))
                .isNotEqualTo(Permutations.epochOrder(1000, 1, 0));
    }
}

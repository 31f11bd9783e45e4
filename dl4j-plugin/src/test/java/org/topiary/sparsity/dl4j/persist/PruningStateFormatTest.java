package org.topiary.sparsity.dl4j.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.dl4j.PruningState;
import org.topiary.sparsity.dl4j.SparsityEvent;
import org.topiary.sparsity.dl4j.persist.internal.MaskCodec;
import org.topiary.sparsity.dl4j.persist.internal.StateJson;
import org.topiary.sparsity.internal.Arrays4j;

/** Golden files of the two Topiary entries of a saved model, version 1. */
class PruningStateFormatTest {

    /** The state stored in {@code pruning-state-v1.json} and {@code masks-v1.bin}. */
    static PruningState goldenState() {
        PruningConfig config = PruningConfig.builder()
                .setSchedule(SparsitySchedule.polynomial(0.0, 0.5, 2, 10))
                .optWindow(new UpdateWindow(2, 10, 4))
                .optScope(Scope.GLOBAL)
                .optExclude("2")
                .build();
        Map<String, INDArray> masks = new LinkedHashMap<>();
        masks.put("0_W", Arrays4j.boolMask(new boolean[] {true, false, false, true, true, false}, new long[] {2, 3}));
        masks.put("1_W", Arrays4j.boolMask(new boolean[] {false, true, true, true, true, true, true, true, false}, new long[] {3, 3}));
        return PruningState.restore(config, masks, List.of(new SparsityEvent(2, 0.0, 0.0), new SparsityEvent(6, 0.4375, 0.4)));
    }

    /** Regenerates both golden files (by hand, when a new version is introduced). */
    static void generateGolden(Path resourceDir) throws IOException {
        Files.write(resourceDir.resolve("pruning-state-v1.json"), StateJson.encode(goldenState(), "MultiLayerNetwork", 8, 1));
        Files.write(resourceDir.resolve("masks-v1.bin"), MaskCodec.encode(goldenState().masks()));
    }

    private byte[] resource(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void goldenVersion1EntriesStillRead() throws IOException {
        StateJson.Header h = StateJson.decode(Path.of("pruning-state-v1.json"), resource("pruning-state-v1.json"));
        PruningState s = StateJson.toState(Path.of("golden"), h, MaskCodec.decode(Path.of("masks-v1.bin"), resource("masks-v1.bin")));
        PruningState expected = goldenState();
        assertThat(h.model()).isEqualTo("MultiLayerNetwork");
        assertThat(h.iteration()).isEqualTo(8);
        assertThat(h.epoch()).isEqualTo(1);
        assertThat(s.config()).isEqualTo(expected.config());
        assertThat(s.history()).isEqualTo(expected.history());
        assertThat(s.masks().keySet()).containsExactly("0_W", "1_W");
        expected.masks().forEach((id, m) -> assertThat(s.mask(id)).isEqualTo(m));
    }

    @Test
    void writerStillProducesTheGoldenBytes() throws IOException {
        assertThat(MaskCodec.encode(goldenState().masks())).isEqualTo(resource("masks-v1.bin"));
        assertThat(new String(StateJson.encode(goldenState(), "MultiLayerNetwork", 8, 1), StandardCharsets.UTF_8))
                .isEqualTo(new String(resource("pruning-state-v1.json"), StandardCharsets.UTF_8));
    }

    @Test
    void stateJsonUsesTopiaryTypeIdsNeverJavaClassNames() throws IOException {
        String json = new String(resource("pruning-state-v1.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("\"type\" : \"topiary-pruning-state\"", "\"type\" : \"topiary-pruning\"", "\"version\" : 1")
                .doesNotContain("org.topiary", "java.");
    }

    @Test
    void masksAreBitPacked() throws IOException {
        byte[] bits = resource("masks-v1.bin");
        // header 4+2+4; per mask: 2+3 id, 1 rank, 16 shape, 1 byte (6 bits) / 2 bytes (9 bits)
        assertThat(bits).hasSize(10 + (5 + 1 + 16 + 1) + (5 + 1 + 16 + 2));
        assertThat(bits[10 + 5 + 1 + 16]).isEqualTo((byte) 0b011001);
    }
}

package org.topiary.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.sparsity.dl4j.SparsityEvent;

class BenchJsonTest {

    @Test
    void documentStartsWithSchemaVersionAndCommand() throws Exception {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode root = BenchJson.document(mapper, "topiary-bench-x", "bench x");

        JsonNode read = mapper.readTree(BenchJson.write(mapper, root));

        assertThat(read.get("schema").asText()).isEqualTo("topiary-bench-x");
        assertThat(read.get("version").asInt()).isEqualTo(1);
        assertThat(read.get("command").asText()).isEqualTo("bench x");
    }

    @Test
    void seriesKeepsOrderAndValues() {
        ObjectNode node = BenchJson.mapper().createObjectNode();

        BenchJson.putSeries(node, "epoch_seconds", List.of(2.5, 1.25, 3.0));

        assertThat(node.get("epoch_seconds")).extracting(JsonNode::asDouble).containsExactly(2.5, 1.25, 3.0);
    }

    @Test
    void historyHasOneRowPerEvent() {
        ObjectNode node = BenchJson.mapper().createObjectNode();
        List<SparsityEvent> events = List.of(
                new SparsityEvent(100, 0.25, 0.2500), new SparsityEvent(200, 0.5, 0.4999));

        BenchJson.putHistory(node, events);

        JsonNode history = node.get("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(1).get("step").asLong()).isEqualTo(200);
        assertThat(history.get(1).get("target").asDouble()).isEqualTo(0.5);
        assertThat(history.get(1).get("achieved").asDouble()).isEqualTo(0.4999);
    }

    @Test
    void doublesKeepOrderAndValues() {
        ObjectNode node = BenchJson.mapper().createObjectNode();

        BenchJson.putDoubles(node, "grid", new double[] {0.1, 0.5, 0.98});

        assertThat(node.get("grid").isArray()).isTrue();
        assertThat(node.get("grid")).extracting(JsonNode::asDouble).containsExactly(0.1, 0.5, 0.98);
    }

    @Test
    void finiteOrNullWritesNullForNanAndInfinity() throws Exception {
        ObjectMapper mapper = BenchJson.mapper();
        ObjectNode node = mapper.createObjectNode();

        BenchJson.putFiniteOrNull(node, "finite", 0.25);
        BenchJson.putFiniteOrNull(node, "nan", Double.NaN);
        BenchJson.putFiniteOrNull(node, "infinite", Double.POSITIVE_INFINITY);

        JsonNode read = mapper.readTree(BenchJson.write(mapper, node));
        assertThat(read.get("finite").asDouble()).isEqualTo(0.25);
        assertThat(read.get("nan").isNull()).isTrue();
        assertThat(read.get("infinite").isNull()).isTrue();
    }
}

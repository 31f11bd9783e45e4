package org.topiary.sparsity.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.topiary.sparsity.ImportanceScorer;
import org.topiary.sparsity.MaskStrategy;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.Scope;
import org.topiary.sparsity.SparsitySchedule;
import org.topiary.sparsity.UpdateWindow;
import org.topiary.sparsity.mask.LowestScoreMask;
import org.topiary.sparsity.mask.MagnitudeScorer;
import org.topiary.sparsity.mask.RandomScorer;
import org.topiary.sparsity.schedule.ConstantSparsity;
import org.topiary.sparsity.schedule.OneShotSparsity;
import org.topiary.sparsity.schedule.PolynomialDecay;
import org.topiary.sparsity.structure.GroupScorer;
import org.topiary.sparsity.structure.RandomGroupScorer;
import org.topiary.sparsity.structure.SparsityPattern;

/**
 * Topiary's own versioned JSON for pruning configurations and their parts. Types are named by
 * stable ids ({@code "polynomial-decay"}), never by Java class names; the document carries {@code
 * "version": 1}. Reading validates everything and fails with a {@link ConfigFormatException} that
 * names the field.
 *
 * <p><b>Versions.</b> Version 2 adds the optional {@code "pattern"} ({@link SparsityPattern}):
 * {@code {"type": "groups", "scorer": {"type": "l1" | "l2" | "taylor" | "random", "seed": 1}}},
 * {@code {"type": "n-of-m", "n": 2, "m": 4}} or {@code {"type": "blocks", "rows": 1, "cols":
 * 4}}. A configuration with the elements pattern is still written as version 1 (byte for byte as
 * before), so older Topiary reads it; one with another pattern is written as version 2, which
 * older Topiary refuses instead of silently pruning element-wise. Absent means elements.
 */
public final class SparsityJson {
    /** Type id of a whole pruning configuration document. */
    public static final String CONFIG_TYPE = "topiary-pruning";

    /** The newest version this code writes (with a non-element pattern); it reads versions 1 to this. */
    public static final int VERSION = 2;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SparsityJson() {}

    // ---------------------------------------------------------------- configuration

    /** The configuration as pretty-printed JSON. */
    public static String toJson(PruningConfig config) {
        return write(toTree(config));
    }

    /** The configuration as a JSON tree. */
    public static ObjectNode toTree(PruningConfig config) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("type", CONFIG_TYPE);
        boolean elements = config.pattern() instanceof SparsityPattern.Elements;
        root.put("version", elements ? 1 : 2);
        root.set("schedule", toTree(config.schedule()));
        ObjectNode w = root.putObject("window");
        w.put("beginStep", config.window().beginStep());
        w.put("endStep", config.window().endStep());
        w.put("frequency", config.window().frequency());
        root.put("scope", config.scope().name().toLowerCase(java.util.Locale.ROOT));
        root.set("scorer", toTree(config.scorer()));
        root.putObject("strategy").put("type", config.strategy().typeId());
        if (!elements) {
            root.set("pattern", toTree(config.pattern()));
        }
        strings(root.putArray("layers"), config.layers());
        strings(root.putArray("layerTypes"), config.layerTypes());
        strings(root.putArray("paramKeys"), config.paramKeys());
        strings(root.putArray("exclude"), config.exclude());
        ObjectNode o = root.putObject("overrides");
        config.overrides().forEach(o::put);
        return root;
    }

    /** Reads a configuration written by {@link #toJson(PruningConfig)}. */
    public static PruningConfig configFromJson(String json) {
        return configFromTree(parse(json));
    }

    /** Reads a configuration tree. */
    public static PruningConfig configFromTree(JsonNode root) {
        requireObject(root, "$");
        String type = text(root, "type", "$");
        if (!CONFIG_TYPE.equals(type)) {
            throw new ConfigFormatException(
                    "$.type must be '" + CONFIG_TYPE + "', found '" + type + "': this is not a Topiary pruning configuration");
        }
        long version = integer(root, "version", "$");
        if (version < 1 || version > VERSION) {
            throw new ConfigFormatException(
                    "$.version "
                            + version
                            + " is not supported: this Topiary reads versions 1 to "
                            + VERSION
                            + ". Upgrade Topiary to read newer files.");
        }
        try {
            PruningConfig.Builder b =
                    PruningConfig.builder().setSchedule(scheduleFromTree(field(root, "schedule", "$"), "$.schedule"));
            if (root.has("window")) {
                JsonNode w = root.get("window");
                requireObject(w, "$.window");
                b.optWindow(
                        guard(
                                "$.window",
                                () ->
                                        new UpdateWindow(
                                                integer(w, "beginStep", "$.window"),
                                                integer(w, "endStep", "$.window"),
                                                integer(w, "frequency", "$.window"))));
            }
            if (root.has("scope")) {
                String scope = text(root, "scope", "$");
                b.optScope(guard("$.scope", () -> Scope.parse(scope)));
            }
            if (root.has("scorer")) {
                b.optScorer(scorerFromTree(root.get("scorer"), "$.scorer"));
            }
            if (root.has("strategy")) {
                b.optStrategy(strategyFromTree(root.get("strategy"), "$.strategy"));
            }
            if (root.has("pattern")) {
                if (version < 2) {
                    throw new ConfigFormatException(
                            "$.pattern needs version 2, found version " + version + "; set \"version\": 2");
                }
                b.optPattern(patternFromTree(root.get("pattern"), "$.pattern"));
            }
            b.optLayers(stringArray(root, "layers"));
            b.optLayerTypes(stringArray(root, "layerTypes"));
            b.optParamKeys(stringArray(root, "paramKeys"));
            b.optExclude(stringArray(root, "exclude"));
            if (root.has("overrides")) {
                JsonNode o = root.get("overrides");
                requireObject(o, "$.overrides");
                Iterator<Map.Entry<String, JsonNode>> it = o.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isNumber()) {
                        throw new ConfigFormatException(
                                "$.overrides." + e.getKey() + " must be a number in [0, 1), found " + e.getValue());
                    }
                    b.optOverride(e.getKey(), e.getValue().asDouble());
                }
            }
            return guard("$", b::build);
        } catch (ConfigFormatException e) {
            throw e;
        }
    }

    // ---------------------------------------------------------------- parts

    /** A schedule as a JSON tree with its type id. */
    public static ObjectNode toTree(SparsitySchedule s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", s.typeId());
        if (s instanceof ConstantSparsity c) {
            n.put("sparsity", c.sparsity());
        } else if (s instanceof OneShotSparsity o) {
            n.put("sparsity", o.sparsity());
            n.put("step", o.step());
        } else if (s instanceof PolynomialDecay p) {
            n.put("initialSparsity", p.initialSparsity());
            n.put("finalSparsity", p.finalSparsity());
            n.put("beginStep", p.beginStep());
            n.put("endStep", p.endStep());
            n.put("power", p.power());
        } else {
            throw new IllegalArgumentException(
                    "schedule type " + s.getClass().getName() + " has no JSON form; use one of " + SCHEDULE_TYPES);
        }
        return n;
    }

    private static final List<String> SCHEDULE_TYPES =
            List.of(ConstantSparsity.TYPE, OneShotSparsity.TYPE, PolynomialDecay.TYPE);

    /** A schedule as JSON text. */
    public static String toJson(SparsitySchedule s) {
        return write(toTree(s));
    }

    /** Reads a schedule written by {@link #toJson(SparsitySchedule)}. */
    public static SparsitySchedule scheduleFromJson(String json) {
        return scheduleFromTree(parse(json), "$");
    }

    static SparsitySchedule scheduleFromTree(JsonNode n, String path) {
        requireObject(n, path);
        String type = text(n, "type", path);
        return switch (type) {
            case ConstantSparsity.TYPE -> guard(path, () -> new ConstantSparsity(number(n, "sparsity", path)));
            case OneShotSparsity.TYPE -> guard(
                    path, () -> new OneShotSparsity(number(n, "sparsity", path), integer(n, "step", path)));
            case PolynomialDecay.TYPE -> guard(
                    path,
                    () ->
                            new PolynomialDecay(
                                    n.has("initialSparsity") ? number(n, "initialSparsity", path) : 0.0,
                                    number(n, "finalSparsity", path),
                                    integer(n, "beginStep", path),
                                    integer(n, "endStep", path),
                                    n.has("power") ? number(n, "power", path) : 3.0));
            default -> throw new ConfigFormatException(
                    path + ".type '" + type + "' is not a known schedule; use one of " + SCHEDULE_TYPES);
        };
    }

    static ObjectNode toTree(ImportanceScorer s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", s.typeId());
        if (s instanceof RandomScorer r) {
            n.put("seed", r.seed());
        }
        return n;
    }

    static ImportanceScorer scorerFromTree(JsonNode n, String path) {
        requireObject(n, path);
        String type = text(n, "type", path);
        return switch (type) {
            case MagnitudeScorer.TYPE -> ImportanceScorer.magnitude();
            case RandomScorer.TYPE -> ImportanceScorer.random(n.has("seed") ? integer(n, "seed", path) : 0L);
            default -> throw new ConfigFormatException(
                    path + ".type '" + type + "' is not a known scorer; use one of ["
                            + MagnitudeScorer.TYPE + ", " + RandomScorer.TYPE + "]");
        };
    }

    static MaskStrategy strategyFromTree(JsonNode n, String path) {
        requireObject(n, path);
        String type = text(n, "type", path);
        return switch (type) {
            case LowestScoreMask.TYPE -> MaskStrategy.lowestScores();
            case LowestScoreMask.TYPE_REGROW -> MaskStrategy.lowestScoresWithRegrowth();
            default -> throw new ConfigFormatException(
                    path + ".type '" + type + "' is not a known mask strategy; use one of ["
                            + LowestScoreMask.TYPE + ", " + LowestScoreMask.TYPE_REGROW + "]");
        };
    }

    /** A pattern as a JSON tree with its type id. */
    public static ObjectNode toTree(SparsityPattern p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", p.typeId());
        if (p instanceof SparsityPattern.Groups g) {
            ObjectNode s = n.putObject("scorer");
            s.put("type", g.scorer().typeId());
            if (g.scorer() instanceof RandomGroupScorer r) {
                s.put("seed", r.seed());
            }
        } else if (p instanceof SparsityPattern.NOfM nm) {
            n.put("n", nm.n());
            n.put("m", nm.m());
        } else if (p instanceof SparsityPattern.Blocks bl) {
            n.put("rows", bl.rows());
            n.put("cols", bl.cols());
        }
        return n;
    }

    private static final List<String> PATTERN_TYPES =
            List.of(SparsityPattern.Elements.TYPE, SparsityPattern.Groups.TYPE, SparsityPattern.NOfM.TYPE, SparsityPattern.Blocks.TYPE);

    private static final List<String> GROUP_SCORER_TYPES = List.of("l1", "l2", "taylor", "random");

    /** Reads a pattern written by {@link #toTree(SparsityPattern)}. */
    public static SparsityPattern patternFromJson(String json) {
        return patternFromTree(parse(json), "$");
    }

    static SparsityPattern patternFromTree(JsonNode n, String path) {
        requireObject(n, path);
        String type = text(n, "type", path);
        return switch (type) {
            case SparsityPattern.Elements.TYPE -> SparsityPattern.elements();
            case SparsityPattern.Groups.TYPE -> SparsityPattern.groups(groupScorerFromTree(field(n, "scorer", path), path + ".scorer"));
            case SparsityPattern.NOfM.TYPE -> guard(
                    path, () -> SparsityPattern.nOfM(smallInt(n, "n", path), smallInt(n, "m", path)));
            case SparsityPattern.Blocks.TYPE -> guard(
                    path, () -> SparsityPattern.blocks(smallInt(n, "rows", path), smallInt(n, "cols", path)));
            default -> throw new ConfigFormatException(
                    path + ".type '" + type + "' is not a known pattern; use one of " + PATTERN_TYPES);
        };
    }

    static GroupScorer groupScorerFromTree(JsonNode n, String path) {
        requireObject(n, path);
        String type = text(n, "type", path);
        return switch (type) {
            case "l1" -> GroupScorer.l1();
            case "l2" -> GroupScorer.l2();
            case "taylor" -> GroupScorer.taylor();
            case "random" -> GroupScorer.random(n.has("seed") ? integer(n, "seed", path) : 0L);
            default -> throw new ConfigFormatException(
                    path + ".type '" + type + "' is not a known group scorer; use one of " + GROUP_SCORER_TYPES);
        };
    }

    private static int smallInt(JsonNode n, String name, String path) {
        long v = integer(n, name, path);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ConfigFormatException(path + "." + name + " is out of range, found " + v);
        }
        return (int) v;
    }

    // ---------------------------------------------------------------- helpers

    /** Parses JSON text, failing with a {@link ConfigFormatException} on malformed input. */
    public static JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            throw new ConfigFormatException("the JSON document is empty; expected a Topiary configuration object");
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigFormatException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode n) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    private interface Maker<T> {
        T make();
    }

    /** Runs a constructor, re-throwing its validation error with the JSON path in front. */
    private static <T> T guard(String path, Maker<T> maker) {
        try {
            return maker.make();
        } catch (ConfigFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigFormatException(path + ": " + e.getMessage(), e);
        }
    }

    private static void requireObject(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new ConfigFormatException(path + " must be a JSON object, found " + (n == null ? "nothing" : n.getNodeType()));
        }
    }

    private static JsonNode field(JsonNode n, String name, String path) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new ConfigFormatException(path + "." + name + " is missing; add it");
        }
        return v;
    }

    private static String text(JsonNode n, String name, String path) {
        JsonNode v = field(n, name, path);
        if (!v.isTextual()) {
            throw new ConfigFormatException(path + "." + name + " must be a string, found " + v);
        }
        return v.asText();
    }

    private static double number(JsonNode n, String name, String path) {
        JsonNode v = field(n, name, path);
        if (!v.isNumber()) {
            throw new ConfigFormatException(path + "." + name + " must be a number, found " + v);
        }
        return v.asDouble();
    }

    private static long integer(JsonNode n, String name, String path) {
        JsonNode v = field(n, name, path);
        if (!v.isIntegralNumber()) {
            throw new ConfigFormatException(path + "." + name + " must be a whole number, found " + v);
        }
        return v.asLong();
    }

    private static String[] stringArray(JsonNode root, String name) {
        if (!root.has(name)) {
            return new String[0];
        }
        JsonNode a = root.get(name);
        if (!a.isArray()) {
            throw new ConfigFormatException("$." + name + " must be an array of strings, found " + a);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isTextual()) {
                throw new ConfigFormatException("$." + name + "[" + i + "] must be a string, found " + a.get(i));
            }
            out.add(a.get(i).asText());
        }
        return out.toArray(new String[0]);
    }

    private static void strings(ArrayNode arr, Iterable<String> values) {
        values.forEach(arr::add);
    }
}

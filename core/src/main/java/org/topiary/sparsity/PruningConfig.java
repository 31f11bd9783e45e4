package org.topiary.sparsity;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.topiary.sparsity.internal.Checks;
import org.topiary.sparsity.structure.SparsityPattern;

/**
 * Everything that defines a pruning run, immutable and validated: how much ({@link
 * SparsitySchedule}), when ({@link UpdateWindow}), how it is shared ({@link Scope}), what matters
 * ({@link ImportanceScorer}), how to mask ({@link MaskStrategy}) and which tensors.
 *
 * <p><b>Selection</b> is by strings that the framework adapter resolves against a model: layer
 * names or indices ({@code layers}), layer types by simple class name ({@code layerTypes}, e.g.
 * {@code DenseLayer}), param keys ({@code paramKeys}, e.g. {@code W}), and exclusions (layer names
 * or param ids). Empty include sets mean "every prunable tensor". A selector that matches nothing
 * is an error listing what is available.
 *
 * <p><b>Overrides</b> map a layer name, index or param id to its own final sparsity; the tensor
 * follows the same schedule shape scaled to that target ({@link
 * SparsitySchedule#withFinalSparsity}) and is pruned on its own even in {@link Scope#GLOBAL}.
 *
 * <p><b>Pattern</b> ({@link SparsityPattern}): elements (default), whole groups, N:M or blocks;
 * see {@link SparsityPattern} for how the schedule drives each. Non-element patterns prune layer
 * by layer ({@link Scope#GLOBAL} is refused); N:M needs a schedule whose final sparsity is exactly
 * {@code 1 − n/m} and no overrides.
 *
 * <p>JSON (version 1; version 2 adds {@code "pattern"}, see {@code SparsityJson}):
 *
 * <pre>{@code
 * {"type": "topiary-pruning", "version": 1,
 *  "schedule": {"type": "polynomial-decay", "initialSparsity": 0.0, "finalSparsity": 0.9,
 *               "beginStep": 469, "endStep": 3283, "power": 3.0},
 *  "window": {"beginStep": 469, "endStep": 3283, "frequency": 100},
 *  "scope": "layer", "scorer": {"type": "magnitude"}, "strategy": {"type": "lowest-score"},
 *  "layers": [], "layerTypes": [], "paramKeys": [], "exclude": [], "overrides": {"2": 0.5}}
 * }</pre>
 */
public final class PruningConfig {
    private final SparsitySchedule schedule;
    private final UpdateWindow window;
    private final Scope scope;
    private final ImportanceScorer scorer;
    private final MaskStrategy strategy;
    private final SparsityPattern pattern;
    private final Set<String> layers;
    private final Set<String> layerTypes;
    private final Set<String> paramKeys;
    private final Set<String> exclude;
    private final Map<String, Double> overrides;

    private PruningConfig(Builder b) {
        this.schedule = Checks.notNull("schedule", b.schedule);
        this.window = b.window != null ? b.window : defaultWindow(b.schedule);
        this.scope = Checks.notNull("scope", b.scope);
        this.scorer = Checks.notNull("scorer", b.scorer);
        this.strategy = Checks.notNull("strategy", b.strategy);
        this.pattern = Checks.notNull("pattern", b.pattern);
        this.layers = Collections.unmodifiableSet(new LinkedHashSet<>(b.layers));
        this.layerTypes = Collections.unmodifiableSet(new LinkedHashSet<>(b.layerTypes));
        this.paramKeys = Collections.unmodifiableSet(new LinkedHashSet<>(b.paramKeys));
        this.exclude = Collections.unmodifiableSet(new LinkedHashSet<>(b.exclude));
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(b.overrides));
        Checks.isTrue(
                window.endStep() >= schedule.endStep(),
                "window.endStep (%d) is before schedule.endStep (%d): the final sparsity would"
                        + " never be applied. End the window at or after the schedule's end.",
                window.endStep(),
                schedule.endStep());
        validatePattern();
        for (Map.Entry<String, Double> e : overrides.entrySet()) {
            Checks.notNull("override value for '" + e.getKey() + "'", e.getValue());
            Checks.inHalfOpenRange("override for '" + e.getKey() + "'", e.getValue(), 0.0, 1.0);
            Checks.isTrue(
                    !exclude.contains(e.getKey()),
                    "'%s' is both excluded and overridden; keep one of the two",
                    e.getKey());
        }
    }

    private void validatePattern() {
        if (pattern instanceof SparsityPattern.Elements) {
            return;
        }
        Checks.isTrue(
                scope == Scope.LAYER,
                "pattern %s prunes layer by layer; scope must be layer, found global",
                pattern);
        if (pattern instanceof SparsityPattern.NOfM p) {
            Checks.isTrue(
                    Math.abs(schedule.finalSparsity() - p.sparsity()) < 1e-9,
                    "pattern %s ends with every run of %d holding %d weights, an element sparsity of %s;"
                            + " the schedule's finalSparsity must be exactly that, found %s",
                    p,
                    p.m(),
                    p.n(),
                    p.sparsity(),
                    schedule.finalSparsity());
            Checks.isTrue(
                    overrides.isEmpty(),
                    "pattern %s fixes every tensor's final sparsity at %s; remove the overrides %s (use exclude"
                            + " to leave tensors dense)",
                    p,
                    p.sparsity(),
                    overrides.keySet());
        }
    }

    private static UpdateWindow defaultWindow(SparsitySchedule schedule) {
        Checks.notNull("schedule", schedule);
        long span = schedule.endStep() - schedule.beginStep();
        return new UpdateWindow(
                schedule.beginStep(), schedule.endStep(), Math.max(1, Math.min(100, span)));
    }

    /**
     * Gradual magnitude pruning, layer-wise: Zhu &amp; Gupta's cubic schedule from 0 to {@code
     * finalSparsity} between {@code beginStep} and {@code endStep}, masks updated every {@code
     * frequency} steps and at {@code endStep}.
     */
    public static PruningConfig gradual(
            double finalSparsity, long beginStep, long endStep, long frequency) {
        return builder()
                .setSchedule(SparsitySchedule.polynomial(0.0, finalSparsity, beginStep, endStep))
                .optWindow(new UpdateWindow(beginStep, endStep, frequency))
                .build();
    }

    /** One-shot magnitude pruning to {@code sparsity} at {@code step}, masks fixed afterwards. */
    public static PruningConfig oneShot(double sparsity, long step) {
        return builder()
                .setSchedule(SparsitySchedule.oneShot(sparsity, step))
                .optWindow(UpdateWindow.once(step))
                .build();
    }

    /** A builder: {@code setSchedule} is required, everything else has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schedule = schedule;
        b.window = window;
        b.scope = scope;
        b.scorer = scorer;
        b.strategy = strategy;
        b.pattern = pattern;
        b.layers.addAll(layers);
        b.layerTypes.addAll(layerTypes);
        b.paramKeys.addAll(paramKeys);
        b.exclude.addAll(exclude);
        b.overrides.putAll(overrides);
        return b;
    }

    public SparsitySchedule schedule() {
        return schedule;
    }

    public UpdateWindow window() {
        return window;
    }

    public Scope scope() {
        return scope;
    }

    public ImportanceScorer scorer() {
        return scorer;
    }

    public MaskStrategy strategy() {
        return strategy;
    }

    /** The mask pattern: elements (default), groups, N:M or blocks. */
    public SparsityPattern pattern() {
        return pattern;
    }

    /** Layer names or indices to prune; empty = all. */
    public Set<String> layers() {
        return layers;
    }

    /** Layer types (simple class names) to prune; empty = all. */
    public Set<String> layerTypes() {
        return layerTypes;
    }

    /** Param keys to prune, e.g. {@code W}; empty = every registered prunable key. */
    public Set<String> paramKeys() {
        return paramKeys;
    }

    /** Layer names, indices or param ids never pruned. */
    public Set<String> exclude() {
        return exclude;
    }

    /** Per-layer (or per-param-id) final sparsity overrides. */
    public Map<String, Double> overrides() {
        return overrides;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PruningConfig c)) {
            return false;
        }
        return schedule.equals(c.schedule)
                && window.equals(c.window)
                && scope == c.scope
                && scorer.equals(c.scorer)
                && strategy.equals(c.strategy)
                && pattern.equals(c.pattern)
                && layers.equals(c.layers)
                && layerTypes.equals(c.layerTypes)
                && paramKeys.equals(c.paramKeys)
                && exclude.equals(c.exclude)
                && overrides.equals(c.overrides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                schedule, window, scope, scorer, strategy, pattern, layers, layerTypes, paramKeys, exclude,
                overrides);
    }

    @Override
    public String toString() {
        return "PruningConfig{schedule="
                + schedule
                + ", window="
                + window
                + ", scope="
                + scope
                + ", scorer="
                + scorer.typeId()
                + ", strategy="
                + strategy.typeId()
                + (pattern instanceof SparsityPattern.Elements ? "" : ", pattern=" + pattern)
                + (layers.isEmpty() ? "" : ", layers=" + layers)
                + (layerTypes.isEmpty() ? "" : ", layerTypes=" + layerTypes)
                + (paramKeys.isEmpty() ? "" : ", paramKeys=" + paramKeys)
                + (exclude.isEmpty() ? "" : ", exclude=" + exclude)
                + (overrides.isEmpty() ? "" : ", overrides=" + overrides)
                + "}";
    }

    /** Builder: {@code setX} for required values, {@code optX} for optional ones. */
    public static final class Builder {
        private SparsitySchedule schedule;
        private UpdateWindow window;
        private Scope scope = Scope.LAYER;
        private ImportanceScorer scorer = ImportanceScorer.magnitude();
        private MaskStrategy strategy = MaskStrategy.lowestScores();
        private SparsityPattern pattern = SparsityPattern.elements();
        private final Set<String> layers = new LinkedHashSet<>();
        private final Set<String> layerTypes = new LinkedHashSet<>();
        private final Set<String> paramKeys = new LinkedHashSet<>();
        private final Set<String> exclude = new LinkedHashSet<>();
        private final Map<String, Double> overrides = new LinkedHashMap<>();

        private Builder() {}

        /** Required: how sparse, by step. */
        public Builder setSchedule(SparsitySchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * When masks change. Default: from the schedule's begin to its end every {@code min(100,
         * span)} steps.
         */
        public Builder optWindow(UpdateWindow window) {
            this.window = window;
            return this;
        }

        /** Layer-wise (default) or global. */
        public Builder optScope(Scope scope) {
            this.scope = scope;
            return this;
        }

        /** Default: magnitude. */
        public Builder optScorer(ImportanceScorer scorer) {
            this.scorer = scorer;
            return this;
        }

        /** Default: lowest scores, monotone. */
        public Builder optStrategy(MaskStrategy strategy) {
            this.strategy = strategy;
            return this;
        }

        /**
         * Default: elements (unstructured). {@code SparsityPattern.groups(GroupScorer.l1())} removes
         * whole neurons/filters/units/heads, {@code nOfM(2, 4)} and {@code blocks(1, 4)} are
         * semi-structured; see {@link SparsityPattern} for how the schedule drives each.
         */
        public Builder optPattern(SparsityPattern pattern) {
            this.pattern = pattern;
            return this;
        }

        /** Prune only these layers (names or indices). */
        public Builder optLayers(String... names) {
            layers.addAll(java.util.List.of(names));
            return this;
        }

        /** Prune only layers of these types (simple class names such as {@code DenseLayer}). */
        public Builder optLayerTypes(String... types) {
            layerTypes.addAll(java.util.List.of(types));
            return this;
        }

        /** Prune only these param keys (such as {@code W} or {@code RW}). */
        public Builder optParamKeys(String... keys) {
            paramKeys.addAll(java.util.List.of(keys));
            return this;
        }

        /** Never prune these layers (names or indices) or param ids. */
        public Builder optExclude(String... names) {
            exclude.addAll(java.util.List.of(names));
            return this;
        }

        /** Give a layer (name or index) or a param id its own final sparsity. */
        public Builder optOverride(String layerOrParam, double finalSparsity) {
            Checks.notNull("override key", layerOrParam);
            overrides.put(layerOrParam, finalSparsity);
            return this;
        }

        /** Validates and builds. */
        public PruningConfig build() {
            return new PruningConfig(this);
        }
    }
}

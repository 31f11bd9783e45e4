package org.topiary.sparsity.dl4j.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.PrunableParams;
import org.topiary.sparsity.dl4j.SelectionException;

/**
 * Resolves a {@link PruningConfig}'s string selectors (layers, layer types, param keys, exclusions,
 * overrides) against a model. Every selector must match something; a miss is a {@link
 * SelectionException} listing what is available.
 */
public final class TensorSelection {
    /** A selected tensor and its override, if any. */
    public record Selected(ParamHandle param, OptionalDouble override) {}

    private TensorSelection() {}

    /** The selected tensors in model order. */
    public static List<Selected> resolve(ModelAdapter model, PruningConfig config, PrunableParams registry) {
        List<ModelAdapter.LayerInfo> layers = model.layers();
        List<ParamHandle> prunable = new ArrayList<>();
        Set<String> allParamIds = new LinkedHashSet<>();
        for (ModelAdapter.LayerInfo l : layers) {
            Map<String, INDArray> table = model.paramTable(l);
            for (String key : table.keySet()) {
                allParamIds.add(model.paramId(l, key));
            }
            for (String key : registry.keysFor(l.layer().conf().getLayer())) {
                INDArray view = table.get(key);
                if (view != null) {
                    prunable.add(new ParamHandle(model.paramId(l, key), l.name(), l.index(), l.type(), key, l.layer(), view));
                }
            }
        }
        String available = describe(model.isGraph(), layers, prunable);

        for (String sel : config.layers()) {
            if (layers.stream().noneMatch(l -> matchesLayer(l, sel))) {
                throw new SelectionException(
                        "layer '" + sel + "' (in layers) matches no layer of the model; " + available);
            }
        }
        Set<String> typesInModel = layers.stream().map(ModelAdapter.LayerInfo::type).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String t : config.layerTypes()) {
            if (!typesInModel.contains(t)) {
                throw new SelectionException(
                        "layer type '" + t + "' (in layerTypes) matches no layer of the model; layer types present: " + typesInModel);
            }
        }
        Set<String> prunableKeys = prunable.stream().map(ParamHandle::key).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String k : config.paramKeys()) {
            if (!prunableKeys.contains(k)) {
                throw new SelectionException(
                        "param key '" + k + "' (in paramKeys) is not a prunable key of this model; prunable keys: " + prunableKeys
                                + ". Biases and BatchNormalization params are never pruned; register custom layers with PrunableParams.with(...)");
            }
        }
        for (String e : config.exclude()) {
            boolean hit = layers.stream().anyMatch(l -> matchesLayer(l, e)) || allParamIds.contains(e);
            if (!hit) {
                throw new SelectionException("'" + e + "' (in exclude) matches no layer or param of the model; " + available);
            }
        }

        List<Selected> out = new ArrayList<>();
        Map<String, Boolean> overrideUsed = new LinkedHashMap<>();
        config.overrides().keySet().forEach(k -> overrideUsed.put(k, false));
        for (ParamHandle p : prunable) {
            if (!config.layers().isEmpty() && config.layers().stream().noneMatch(s -> matchesLayer(p, s))) {
                continue;
            }
            if (!config.layerTypes().isEmpty() && !config.layerTypes().contains(p.layerType())) {
                continue;
            }
            if (!config.paramKeys().isEmpty() && !config.paramKeys().contains(p.key())) {
                continue;
            }
            if (config.exclude().stream().anyMatch(s -> s.equals(p.id()) || matchesLayer(p, s))) {
                continue;
            }
            OptionalDouble override = OptionalDouble.empty();
            if (config.overrides().containsKey(p.id())) {
                override = OptionalDouble.of(config.overrides().get(p.id()));
                overrideUsed.put(p.id(), true);
            } else {
                for (Map.Entry<String, Double> o : config.overrides().entrySet()) {
                    if (matchesLayer(p, o.getKey())) {
                        override = OptionalDouble.of(o.getValue());
                        overrideUsed.put(o.getKey(), true);
                        break;
                    }
                }
            }
            out.add(new Selected(p, override));
        }
        for (Map.Entry<String, Boolean> u : overrideUsed.entrySet()) {
            if (!u.getValue()) {
                String key = u.getKey();
                String why = allParamIds.contains(key)
                        ? "'" + key + "' is not a prunable param (biases and BatchNormalization params are never pruned)"
                        : "'" + key + "' (in overrides) matches no selected prunable layer or param";
                throw new SelectionException(why + "; " + available);
            }
        }
        if (out.isEmpty()) {
            throw new SelectionException("the selection leaves nothing to prune; " + available);
        }
        return out;
    }

    private static boolean matchesLayer(ModelAdapter.LayerInfo l, String sel) {
        return l.name().equals(sel) || String.valueOf(l.index()).equals(sel);
    }

    private static boolean matchesLayer(ParamHandle p, String sel) {
        return p.layerName().equals(sel) || String.valueOf(p.layerIndex()).equals(sel);
    }

    private static String describe(boolean graph, List<ModelAdapter.LayerInfo> layers, List<ParamHandle> prunable) {
        StringBuilder sb = new StringBuilder("available layers: ");
        sb.append(layers.stream()
                .map(l -> (graph || l.name().equals(String.valueOf(l.index())) ? l.name() : l.index() + "/'" + l.name() + "'") + " (" + l.type() + ")")
                .collect(Collectors.joining(", ")));
        sb.append("; prunable params: ");
        sb.append(prunable.stream().map(ParamHandle::id).collect(Collectors.joining(", ")));
        return sb.toString();
    }
}

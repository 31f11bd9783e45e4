package org.topiary.sparsity.dl4j.samediff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.topiary.sparsity.PruningConfig;
import org.topiary.sparsity.dl4j.SelectionException;
import org.topiary.sparsity.structure.SparsityPattern;

/**
 * Resolves a {@link PruningConfig}'s selection against a SameDiff graph. A graph has no layers, so
 * the selectors read as follows:
 *
 * <ul>
 *   <li>{@code layers}: names of variables to prune; empty = every trainable variable ({@link
 *       VariableType#VARIABLE}, floating point) of rank &ge; 2, i.e. the weights and never the
 *       rank-1 biases. A named variable may have any rank &ge; 1.
 *   <li>{@code exclude}: names of variables never pruned.
 *   <li>{@code overrides}: keyed by variable name.
 *   <li>{@code layerTypes}, {@code paramKeys}: must be empty (they name DL4J layer classes and
 *       param keys).
 * </ul>
 *
 * Only the elements pattern is supported. Every name must exist and be a trainable floating point
 * VARIABLE; an error names the field and lists what the graph has.
 */
final class VariableSelection {
    /** One selected variable and its final-sparsity override, if any. */
    record Selected(String name, OptionalDouble override) {}

    private VariableSelection() {}

    static List<Selected> resolve(SameDiff sd, PruningConfig config) {
        if (!(config.pattern() instanceof SparsityPattern.Elements)) {
            throw new SelectionException("pattern " + config.pattern() + " is not supported for SameDiff graphs yet (their"
                    + " variables carry no layer structure to group by); use the default SparsityPattern.elements()");
        }
        if (!config.layerTypes().isEmpty()) {
            throw new SelectionException("layerTypes " + config.layerTypes() + " has no meaning for a SameDiff graph, which"
                    + " has variables, not layers; select variables by name with optLayers(...)");
        }
        if (!config.paramKeys().isEmpty()) {
            throw new SelectionException("paramKeys " + config.paramKeys() + " has no meaning for a SameDiff graph, which"
                    + " has variables, not layer params; select variables by name with optLayers(...)");
        }
        Map<String, SDVariable> all = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            all.put(v.name(), v);
        }
        for (String name : config.layers()) {
            checkTrainable(sd, all, name, "layers");
        }
        for (String name : config.exclude()) {
            if (!all.containsKey(name)) {
                throw new SelectionException("variable '" + name + "' (in exclude) is not a variable of this SameDiff graph; "
                        + describe(sd, all));
            }
        }
        List<Selected> out = new ArrayList<>();
        Set<String> named = config.layers();
        for (SDVariable v : all.values()) {
            boolean wanted = named.isEmpty() ? isDefaultWeight(v) : named.contains(v.name());
            if (wanted && !config.exclude().contains(v.name())) {
                Double o = config.overrides().get(v.name());
                out.add(new Selected(v.name(), o == null ? OptionalDouble.empty() : OptionalDouble.of(o)));
            }
        }
        for (String key : config.overrides().keySet()) {
            if (out.stream().noneMatch(s -> s.name().equals(key))) {
                throw new SelectionException("variable '" + key + "' (in overrides) is not a selected variable; selected: "
                        + out.stream().map(Selected::name).toList() + "; " + describe(sd, all));
            }
        }
        if (out.isEmpty()) {
            String why = named.isEmpty()
                    ? "layers is empty, so every trainable VARIABLE of rank >= 2 is selected, but"
                            + (config.exclude().isEmpty() ? " this graph has none" : " exclude " + config.exclude() + " removes all of them")
                    : "exclude " + config.exclude() + " removes every variable named in layers " + named;
            throw new SelectionException("the selection leaves nothing to prune: " + why + "; " + describe(sd, all)
                    + ". Weights imported from TensorFlow or ONNX are CONSTANTs: make them trainable with"
                    + " sd.convertToVariables(...) before attaching.");
        }
        return out;
    }

    private static boolean isDefaultWeight(SDVariable v) {
        return v.getVariableType() == VariableType.VARIABLE && v.dataType().isFPType() && v.getArr() != null && v.getArr().rank() >= 2;
    }

    private static void checkTrainable(SameDiff sd, Map<String, SDVariable> all, String name, String field) {
        SDVariable v = all.get(name);
        if (v == null) {
            throw new SelectionException("variable '" + name + "' (in " + field + ") is not a variable of this SameDiff graph; "
                    + describe(sd, all));
        }
        if (v.getVariableType() == VariableType.CONSTANT) {
            throw new SelectionException("variable '" + name + "' (in " + field + ") is a CONSTANT, which training never"
                    + " changes, so it cannot be pruned during training. Weights imported from TensorFlow or ONNX are"
                    + " constants: make it trainable first with sd.convertToVariables(List.of(sd.getVariable(\"" + name
                    + "\"))), then attach. " + describe(sd, all));
        }
        if (v.getVariableType() != VariableType.VARIABLE) {
            throw new SelectionException("variable '" + name + "' (in " + field + ") is a " + v.getVariableType()
                    + " (an input or an activation), not a trainable weight; " + describe(sd, all));
        }
        if (!v.dataType().isFPType()) {
            throw new SelectionException("variable '" + name + "' (in " + field + ") has type " + v.dataType()
                    + "; only floating point variables are trained and pruned");
        }
        if (v.getArr() == null || v.getArr().rank() < 1) {
            throw new SelectionException("variable '" + name + "' (in " + field + ") is a scalar; there is nothing to prune in it");
        }
    }

    /** "trainable VARIABLEs: [w0 [20, 16], b0 [16]]; CONSTANTs: [...]". */
    private static String describe(SameDiff sd, Map<String, SDVariable> all) {
        List<String> vars = new ArrayList<>();
        List<String> constants = new ArrayList<>();
        for (SDVariable v : all.values()) {
            if (v.getVariableType() != VariableType.VARIABLE && v.getVariableType() != VariableType.CONSTANT) {
                continue;
            }
            String shape = v.getArr() == null ? "" : " " + java.util.Arrays.toString(v.getArr().shape());
            if (v.getVariableType() == VariableType.VARIABLE) {
                vars.add(v.name() + shape);
            } else {
                constants.add(v.name() + shape);
            }
        }
        return "trainable VARIABLEs: " + vars + (constants.isEmpty() ? "" : "; CONSTANTs: " + constants);
    }
}

package org.topiary.examples.report;

import java.util.Map;
import java.util.Objects;

/**
 * A structured-pruning step of a command: units removed from a trained network, the physically
 * smaller network fine-tuned, and what it buys at inference.
 *
 * @param run name of the run that holds the fine-tuned shrunk network, e.g. {@code "shrunk-50"}
 * @param source name of the run it was cut from, e.g. {@code "dense"}
 * @param fraction fraction of each hidden layer's units removed, in (0, 1)
 * @param units units per layer, {@code "before->after"}, keyed by layer index
 * @param paramsBefore parameters of the source network
 * @param paramsAfter parameters of the shrunk network
 * @param accuracyBeforeFineTune test accuracy right after the surgery
 * @param accuracyAfterFineTune test accuracy after fine-tuning
 * @param denseB256Ms median inference time of the source network per batch of 256, milliseconds
 * @param shrunkB256Ms the same for the shrunk network
 * @param speedupB256 median of the per-round ratios dense / shrunk (interleaved rounds)
 */
public record ShrinkSummary(
        String run,
        String source,
        double fraction,
        Map<String, String> units,
        long paramsBefore,
        long paramsAfter,
        double accuracyBeforeFineTune,
        double accuracyAfterFineTune,
        double denseB256Ms,
        double shrunkB256Ms,
        double speedupB256) {

    /** Validates and copies. */
    public ShrinkSummary {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(source, "source");
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), found " + fraction);
        }
        units = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(units));
    }
}

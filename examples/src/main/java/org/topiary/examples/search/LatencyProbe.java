package org.topiary.examples.search;

import java.io.Serializable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.examples.bench.PairedTiming;
import org.topiary.sparsity.internal.Checks;

/**
 * How a candidate's inference latency is measured: the trained full-size network (masked weights
 * multiplied dense, what runs without surgery) and its shrunk network ({@code SurgeryPlan}) are
 * timed on the same fixed batch of {@code batch} validation images with {@link PairedTiming}:
 * {@code warmUpCalls} calls of each, then {@code rounds} rounds, each timing a block of calls of
 * each network (as many calls as take about {@code blockMillis} of the full-size network),
 * alternating which goes first. Reported: the median over rounds of the milliseconds per call of
 * each network and the median of the per-round ratios shrunk / full-size.
 *
 * <p><b>Noise.</b> The probe runs on the candidate's thread right after it trained, with the
 * search's ND4J thread settings ({@code --threads}). Absolute milliseconds depend on the machine
 * and its load (other processes, and with {@code --parallel N} the other candidates' training);
 * the ratio is paired round by round, so load that changes slowly cancels, and it does not
 * depend on the machine's speed. Under heavy load neither is precise: at a load average of 12 on
 * 2 cores, two identical networks timed with the defaults gave ratios from 0.67 to 1.26
 * ({@code docs/benchmarks.md}, FMNIST-SEARCH usage demo). Defaults ({@link #defaults()}): batch 256, 5 warm-up calls, 5
 * rounds of about 50 ms: about 0.6 s per candidate for LeNet-300-100 on one thread.
 *
 * @param batch images per forward pass, {@code >= 1} (fewer if the validation split is smaller)
 * @param warmUpCalls untimed calls of each network before timing, {@code >= 0}
 * @param rounds timed rounds, {@code >= 1} (odd, so that medians are measured values)
 * @param blockMillis target duration of one timed block of the full-size network, {@code > 0}
 */
public record LatencyProbe(int batch, int warmUpCalls, int rounds, double blockMillis) implements Serializable {

    /** Validates the fields. */
    public LatencyProbe {
        Checks.positive("batch", batch);
        Checks.nonNegative("warmUpCalls", warmUpCalls);
        Checks.positive("rounds", rounds);
        Checks.isTrue(rounds % 2 == 1, "rounds must be odd (medians of measured values), found %d", rounds);
        Checks.positive("blockMillis", blockMillis);
    }

    /** Batch 256, 5 warm-up calls, 5 rounds of about 50 ms. */
    public static LatencyProbe defaults() {
        return new LatencyProbe(256, 5, 5, 50.0);
    }

    /**
     * What the probe measured.
     *
     * @param batch images per forward pass
     * @param denseMillis median milliseconds per call of the full-size network
     * @param shrunkMillis median milliseconds per call of the shrunk network
     * @param ratio median over rounds of {@code shrunk / full-size}
     */
    public record Measurement(int batch, double denseMillis, double shrunkMillis, double ratio) {}

    /**
     * Times {@code dense} and {@code shrunk} on {@code x} (see the class documentation).
     *
     * @param dense the full-size network
     * @param shrunk its shrunk network
     * @param x the batch, {@code [batch, inputs]}
     * @return the medians
     */
    public Measurement measure(MultiLayerNetwork dense, MultiLayerNetwork shrunk, INDArray x) {
        Checks.notNull("dense", dense);
        Checks.notNull("shrunk", shrunk);
        Checks.notNull("x", x);
        PairedTiming.warmUp(dense, shrunk, x, warmUpCalls);
        int calls = PairedTiming.callsPerBlock(dense, x, blockMillis);
        PairedTiming.Rounds r = PairedTiming.time(dense, shrunk, x, calls, rounds);
        return new Measurement((int) x.size(0), r.medianFirstMs(), r.medianSecondMs(), r.medianInverseRatio());
    }

    /** E.g. {@code batch 256, median of 5 interleaved rounds after 5 warm-up calls}. */
    public String describe() {
        return "batch " + batch + ", median of " + rounds + " interleaved rounds (about " + Math.round(blockMillis)
                + " ms each) after " + warmUpCalls + " warm-up calls";
    }
}

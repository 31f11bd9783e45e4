package org.topiary.examples.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.internal.Checks;

/**
 * Inference timing of two networks on the same batch, interleaved so that slow drift of the
 * machine (other processes, frequency scaling) hits both alike. Used by {@link StructBench}
 * (dense vs shrunk, {@code topiary bench struct}, the demo) and by the search's latency probe.
 *
 * <p>Protocol: {@link #warmUp} calls both networks a few times ({@code output(x, false)},
 * inference mode); then each of {@code rounds} rounds times one block of {@code calls} calls of
 * each network ({@link #callsPerBlock}: as many calls as take about {@code blockMillis} of the
 * first network, 1 to 500), alternating which network goes first. A round gives the mean
 * milliseconds per call of each network and their ratio; callers take medians over rounds.
 * Timings run on the calling thread with ND4J's current thread settings.
 */
public final class PairedTiming {

    private PairedTiming() {}

    /**
     * Milliseconds per call of each network, one entry per round, and the per-round ratio {@code
     * first / second}.
     *
     * @param firstMs mean milliseconds per call of the first network, per round
     * @param secondMs the same for the second network
     * @param ratio {@code firstMs[r] / secondMs[r]}
     */
    public record Rounds(double[] firstMs, double[] secondMs, double[] ratio) {

        /** Median of {@link #firstMs()}. */
        public double medianFirstMs() {
            return Stats.median(firstMs);
        }

        /** Median of {@link #secondMs()}. */
        public double medianSecondMs() {
            return Stats.median(secondMs);
        }

        /** Median of the per-round ratios {@code first / second}. */
        public double medianRatio() {
            return Stats.median(ratio);
        }

        /** Median of the per-round ratios {@code second / first}. */
        public double medianInverseRatio() {
            double[] inv = new double[ratio.length];
            for (int i = 0; i < ratio.length; i++) {
                inv[i] = 1.0 / ratio[i];
            }
            return Stats.median(inv);
        }
    }

    /** {@code calls} inference calls of each network on {@code x}, interleaved. */
    public static void warmUp(MultiLayerNetwork a, MultiLayerNetwork b, INDArray x, int calls) {
        for (int i = 0; i < calls; i++) {
            a.output(x, false);
            b.output(x, false);
        }
    }

    /**
     * Calls of {@code reference} on {@code x} that take about {@code blockMillis} (1 to 500),
     * estimated from 3 calls, so that short calls are timed in blocks.
     */
    public static int callsPerBlock(MultiLayerNetwork reference, INDArray x, double blockMillis) {
        Checks.positive("blockMillis", blockMillis);
        double ms = msPerCall(reference, x, 3);
        return (int) Math.max(1, Math.min(500, Math.round(blockMillis / Math.max(ms, 1e-3))));
    }

    /**
     * Times {@code rounds} rounds of {@code calls} calls of each network, alternating which goes
     * first (round 0: {@code a} first).
     */
    public static Rounds time(MultiLayerNetwork a, MultiLayerNetwork b, INDArray x, int calls, int rounds) {
        Checks.positive("calls", calls);
        Checks.positive("rounds", rounds);
        double[] ta = new double[rounds];
        double[] tb = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) {
                ta[r] = msPerCall(a, x, calls);
                tb[r] = msPerCall(b, x, calls);
            } else {
                tb[r] = msPerCall(b, x, calls);
                ta[r] = msPerCall(a, x, calls);
            }
            ratio[r] = ta[r] / tb[r];
        }
        return new Rounds(ta, tb, ratio);
    }

    /** Mean wall milliseconds per call over {@code calls} calls of {@code output(x, false)}. */
    public static double msPerCall(MultiLayerNetwork net, INDArray x, int calls) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            net.output(x, false);
        }
        return (System.nanoTime() - t0) / 1e6 / calls;
    }
}

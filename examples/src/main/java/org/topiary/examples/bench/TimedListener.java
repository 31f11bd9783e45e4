package org.topiary.examples.bench;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Wraps a listener and adds up the wall time and the calling thread's CPU time spent inside its
 * callbacks: the listener's own cost, measured directly rather than as the difference of two
 * noisy epoch times. CPU time leaves out the time the thread waited for a core, so on a shared
 * machine it moves less with the load than wall time does (with one native thread, ND4J's ops run
 * on the calling thread and are counted).
 */
public final class TimedListener implements TrainingListener {
    private final TrainingListener delegate;
    private long nanos;
    private long cpuNanos;
    private long gcMillis;

    private TimedListener(TrainingListener delegate) {
        this.delegate = delegate;
    }

    /** Times {@code delegate}. */
    public static TimedListener of(TrainingListener delegate) {
        return new TimedListener(delegate);
    }

    /** Seconds spent in the delegate so far. */
    public double seconds() {
        return nanos / 1e9;
    }

    /** CPU seconds of the calling threads spent in the delegate so far. */
    public double cpuSeconds() {
        return cpuNanos / 1e9;
    }

    /**
     * Seconds of garbage-collection pauses ({@link GcPauses}) that fell inside the delegate's
     * callbacks: part of {@link #seconds()}, but the collector's work (whoever triggered it), not
     * the listener's.
     */
    public double gcSeconds() {
        return gcMillis / 1e3;
    }

    private void time(Runnable call) {
        long gc = GcPauses.millis();
        long cpu = ThreadCpu.nanos();
        long t = System.nanoTime();
        call.run();
        nanos += System.nanoTime() - t;
        cpuNanos += ThreadCpu.nanos() - cpu;
        gcMillis += GcPauses.millis() - gc;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        time(() -> delegate.iterationDone(model, iteration, epoch));
    }

    @Override
    public void onEpochStart(Model model) {
        time(() -> delegate.onEpochStart(model));
    }

    @Override
    public void onEpochEnd(Model model) {
        time(() -> delegate.onEpochEnd(model));
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        time(() -> delegate.onForwardPass(model, activations));
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        time(() -> delegate.onForwardPass(model, activations));
    }

    @Override
    public void onGradientCalculation(Model model) {
        time(() -> delegate.onGradientCalculation(model));
    }

    @Override
    public void onBackwardPass(Model model) {
        time(() -> delegate.onBackwardPass(model));
    }
}

package org.topiary.examples.backend;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the ND4J backend for a command: initialises it, applies the thread count, logs what is
 * in use and refuses GPUs the CUDA build cannot run on.
 */
public final class Backend {

    private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

    /** Class of ND4J's CUDA backend; looked up by name only, never linked at compile time. */
    static final String CUDA_BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    private Backend() {}

    /**
     * Initialises ND4J, sets its native thread pools and checks GPUs.
     *
     * @param threads the thread count to apply
     * @return what is in use
     * @throws UnsupportedBackendException if a GPU cannot run ND4J 1.0.0-M2.1's CUDA kernels, or
     *     the CUDA backend fails to start
     */
    public static BackendInfo start(ThreadCount threads) {
        BackendInfo info;
        try {
            NativeThreads.set(threads.count());
            info =
                    BackendInfo.fromEnvironment(
                            Nd4j.getExecutioner().getEnvironmentInformation(),
                            NativeThreads.current());
        } catch (RuntimeException | LinkageError e) {
            if (cudaBackendOnClasspath()) {
                throw new UnsupportedBackendException(
                        "the ND4J CUDA backend failed to start ("
                                + e
                                + "). ND4J 1.0.0-M2.1 runs only on GPUs of compute capability"
                                + " 3.7 to 8.6 with a CUDA 11.6 runtime. "
                                + CudaSupport.RUN_ON_CPU_HINT,
                        e);
            }
            throw e;
        }
        for (GpuDevice gpu : info.gpus()) {
            CudaSupport.Decision decision = gpu.support();
            switch (decision.status()) {
                case UNSUPPORTED -> throw new UnsupportedBackendException(
                        "GPU " + gpu.index() + " '" + gpu.name() + "': " + decision.message(),
                        null);
                case UNTESTED -> LOG.warn(
                        "GPU {} '{}': {}", gpu.index(), gpu.name(), decision.message());
                case SUPPORTED -> {}
            }
        }
        if (info.threads().libnd4j() < threads.count()) {
            LOG.warn(
                    "ND4J started with {} libnd4j thread(s) and cannot grow that pool to {};"
                            + " export OMP_NUM_THREADS={} before starting the JVM (./topiary does"
                            + " this for --threads)",
                    info.threads().libnd4j(),
                    threads.count(),
                    threads.count());
        }
        boolean spinning = !"PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"));
        if (info.threads().openMp() > 1 && spinning) {
            LOG.warn(
                    "OpenMP threads spin while they wait (OMP_WAIT_POLICY is not PASSIVE); on a"
                            + " busy machine this made training about 10x slower. Start through"
                            + " ./topiary or export OMP_WAIT_POLICY=PASSIVE.");
        }
        LOG.info("Backend: {} (threads from {})", info.describe(), threads.source());
        return info;
    }

    private static boolean cudaBackendOnClasspath() {
        try {
            Class.forName(CUDA_BACKEND_CLASS, false, Backend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

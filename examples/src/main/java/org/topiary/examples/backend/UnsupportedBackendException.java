package org.topiary.examples.backend;

/**
 * The ND4J backend cannot run on this machine (for example a Hopper GPU with the CUDA 11.6 build).
 * The message says what to do instead.
 */
public final class UnsupportedBackendException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what is wrong and how to run anyway
     * @param cause the underlying failure, or {@code null}
     */
    public UnsupportedBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}

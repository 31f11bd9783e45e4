/**
 * What the program runs on: the ND4J backend (CPU or CUDA), its native thread count, the GPU
 * compute-capability check for the CUDA build, and a one-line description of the machine.
 *
 * <p>Nothing here depends on CUDA classes at compile time; the CUDA backend is detected through
 * ND4J's generic environment information.
 */
package org.topiary.examples.backend;

/**
 * Pruning state that survives: {@link org.topiary.sparsity.dl4j.persist.PrunedModels} saves a
 * model with its masks, pruning configuration and history inside the DL4J model zip and restores
 * it with a listener that carries on ({@link org.topiary.sparsity.dl4j.persist.RestoredModel#resumePruning()});
 * {@link org.topiary.sparsity.dl4j.persist.Checkpointer} writes atomic checkpoints during training
 * and {@link org.topiary.sparsity.dl4j.persist.Checkpoints#latest} finds the newest valid one;
 * {@link org.topiary.sparsity.dl4j.persist.DivergenceGuard} stops training on NaN/Inf;
 * {@link org.topiary.sparsity.dl4j.persist.PrunedModels#strip} finalizes a model for vanilla DL4J;
 * {@link org.topiary.sparsity.dl4j.persist.SparseModelFormat} is the compact sparse export;
 * {@link org.topiary.sparsity.dl4j.persist.ModelInspector} describes any of these files;
 * {@link org.topiary.sparsity.dl4j.persist.ResumableRun} wires it all for a command line.
 *
 * <p>Every write is atomic (temporary file in the same folder, then an atomic rename); every read
 * verifies the file before it returns anything. Errors are {@link
 * org.topiary.sparsity.dl4j.persist.ModelFileException}s naming the file, or standard {@code
 * java.nio.file} exceptions for missing files and unusable output folders.
 */
package org.topiary.sparsity.dl4j.persist;

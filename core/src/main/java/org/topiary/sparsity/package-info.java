/**
 * Framework-free sparsity concepts: {@link org.topiary.sparsity.SparsitySchedule} (how much),
 * {@link org.topiary.sparsity.UpdateWindow} (when), {@link org.topiary.sparsity.ImportanceScorer}
 * (what matters), {@link org.topiary.sparsity.MaskStrategy} (how to mask), {@link
 * org.topiary.sparsity.Scope} (layer-wise or global), composed by {@link
 * org.topiary.sparsity.Pruner}; {@link org.topiary.sparsity.PruningConfig} holds a whole run and
 * {@link org.topiary.sparsity.SparsityReport} measures the result.
 *
 * <p>Masks are BOOL arrays ({@code true} = kept). Steps count completed optimizer updates.
 * Depends on nd4j-api only.
 */
package org.topiary.sparsity;

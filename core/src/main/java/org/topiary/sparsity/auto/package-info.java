/**
 * Automatic per-tensor sparsity: {@link org.topiary.sparsity.auto.SensitivityCurve} (how much a
 * metric drops when one tensor alone is pruned to each sparsity of a grid), {@link
 * org.topiary.sparsity.auto.SparsityAllocator} (per-tensor sparsities that meet a global target
 * with the smallest predicted drop, from the dense model or, with survivor curves, from a pruned
 * operating point) and its result {@link org.topiary.sparsity.auto.Allocation},
 * which becomes the per-tensor overrides of a {@link org.topiary.sparsity.PruningConfig}.
 *
 * <p>Framework-free; the DL4J measurement lives in {@code org.topiary.sparsity.dl4j.auto}.
 */
package org.topiary.sparsity.auto;

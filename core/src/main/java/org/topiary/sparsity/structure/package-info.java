/**
 * Structured and semi-structured sparsity: {@link org.topiary.sparsity.structure.SparsityPattern}
 * (elements, groups, N:M, blocks) selected in {@link org.topiary.sparsity.PruningConfig}; {@link
 * org.topiary.sparsity.structure.GroupLayout} (which entries of which tensors form a unit) and
 * {@link org.topiary.sparsity.structure.MatrixView} (a weight as an {@code [outputs, inputs]}
 * matrix) describe tensors; {@link org.topiary.sparsity.structure.GroupScorer} ranks groups (L1,
 * L2, first-order Taylor from a {@link org.topiary.sparsity.structure.TaylorAccumulator},
 * random); {@link org.topiary.sparsity.structure.NOfMMasks} and {@link
 * org.topiary.sparsity.structure.BlockMasks} build semi-structured masks; {@link
 * org.topiary.sparsity.structure.StructuredPruner} composes them with the schedule. Framework-free:
 * the DL4J plugin supplies layouts per layer type.
 */
package org.topiary.sparsity.structure;

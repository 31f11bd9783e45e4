/**
 * Built-in importance scorers and mask strategies. Create them through {@link
 * org.topiary.sparsity.ImportanceScorer} and {@link org.topiary.sparsity.MaskStrategy}.
 */
package org.topiary.sparsity.mask;

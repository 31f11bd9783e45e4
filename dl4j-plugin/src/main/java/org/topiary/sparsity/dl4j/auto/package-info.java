/**
 * Measuring per-tensor sensitivity on DL4J models: {@link
 * org.topiary.sparsity.dl4j.auto.SensitivityAnalysis} one-shot prunes each selected tensor alone
 * at a grid of sparsities, in place, and returns {@link org.topiary.sparsity.auto.SensitivityCurve}s
 * for {@link org.topiary.sparsity.auto.SparsityAllocator}.
 */
package org.topiary.sparsity.dl4j.auto;

/**
 * Sparsity-inducing penalties as framework-free math on ND4J arrays: {@link
 * org.topiary.sparsity.regularize.L1Penalty} (value, subgradient, soft-threshold), {@link
 * org.topiary.sparsity.regularize.GroupLassoPenalty} (group lasso with {@code sqrt(group size)}
 * weights, subgradient, block soft-threshold) and {@link
 * org.topiary.sparsity.regularize.ParamGroups} (which elements of a tensor form a group, and how
 * a flattened copy of it is ordered).
 *
 * <p>The DL4J regularizers built on them live in {@code org.topiary.sparsity.dl4j.conf}.
 */
package org.topiary.sparsity.regularize;

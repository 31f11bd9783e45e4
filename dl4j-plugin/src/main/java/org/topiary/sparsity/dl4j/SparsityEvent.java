package org.topiary.sparsity.dl4j;

/**
 * One mask update: the step, the target the schedule asked for and the sparsity measured in the
 * weights right after masking, both as fractions of all selected weights.
 *
 * @param step completed optimizer updates when the masks changed
 * @param target size-weighted target over the selected tensors
 * @param achieved exact zeros over the selected tensors after masking
 */
public record SparsityEvent(long step, double target, double achieved) {}

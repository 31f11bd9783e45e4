/**
 * Model surgery: physically smaller DL4J models from models with dead units. {@link
 * org.topiary.sparsity.dl4j.surgery.SurgeryPlan} finds the neurons and filters whose incoming
 * weights are all zero (from structured masks, group lasso, unstructured pruning, a {@code
 * PruningState} or a list of units), decides which can be removed exactly, and {@link
 * org.topiary.sparsity.dl4j.surgery.SurgeryPlan#apply()} builds the smaller standard model
 * ({@link org.topiary.sparsity.dl4j.surgery.ShrunkModel}, {@link
 * org.topiary.sparsity.dl4j.surgery.ShrinkReport}). Unsupported layers fail with {@link
 * org.topiary.sparsity.dl4j.surgery.UnsupportedLayerException}.
 */
package org.topiary.sparsity.dl4j.surgery;

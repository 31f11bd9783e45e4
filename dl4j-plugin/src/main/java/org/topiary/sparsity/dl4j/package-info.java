/**
 * Topiary for Deeplearning4j: {@link org.topiary.sparsity.dl4j.PruningListener} prunes
 * MultiLayerNetwork and ComputationGraph models during ordinary training; {@link
 * org.topiary.sparsity.dl4j.PrunableParams} says which params of which layer types may be pruned;
 * {@link org.topiary.sparsity.dl4j.PruningState} is what survives save and resume. Sparsity by
 * regularization lives in {@code org.topiary.sparsity.dl4j.conf} (L1, proximal L1, group lasso),
 * and, for Adam, in the listeners {@link org.topiary.sparsity.dl4j.AdaptiveProximalL1} and {@link
 * org.topiary.sparsity.dl4j.AdaptiveProximalGroupLasso}, whose proximal step uses Adam's own
 * per-element step (read from the updater state, which the {@code Regularization} SPI hides);
 * {@link org.topiary.sparsity.dl4j.LayerGroups} gives a layer's neuron or filter groups.
 */
package org.topiary.sparsity.dl4j;

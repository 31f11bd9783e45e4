/**
 * Topiary for Deeplearning4j: {@link org.topiary.sparsity.dl4j.PruningListener} prunes
 * MultiLayerNetwork and ComputationGraph models during ordinary training; {@link
 * org.topiary.sparsity.dl4j.PrunableParams} says which params of which layer types may be pruned;
 * {@link org.topiary.sparsity.dl4j.PruningState} is what survives save and resume.
 */
package org.topiary.sparsity.dl4j;

/**
 * The training pipeline shared by every command: a model zoo for the benchmark protocols, run
 * specifications (name + model factory + extra listeners), a trainer that fits, evaluates and
 * times a run, and immutable results with weight sparsity.
 *
 * <p>Entry points: {@link org.topiary.examples.train.ModelZoo}, {@link
 * org.topiary.examples.train.RunSpec}, {@link org.topiary.examples.train.Trainer}, {@link
 * org.topiary.examples.train.RunResult}. Weight sparsity is measured in one place, {@link
 * org.topiary.examples.train.WeightSparsity}.
 */
package org.topiary.examples.train;

/**
 * Benchmark runners of the protocols in DESIGN.md, each with {@code static Result run(String...)}
 * and JSON output: {@link org.topiary.examples.bench.RegularizationBench} (sparsity by
 * regularization on Fashion-MNIST LeNet-300-100), {@link
 * org.topiary.examples.bench.DistillationBench} (FMNIST-KD: knowledge distillation, prune +
 * distill, cost of cached and online teachers), {@link org.topiary.examples.bench.NmBench}
 * (FMNIST-STRUCT N:M: dense vs gradual and one-shot 2:4 on LeNet-300-100), {@link
 * org.topiary.examples.bench.ParallelBench} (FMNIST-PARALLEL: GMP single-model vs ParallelWrapper).
 */
package org.topiary.examples.bench;

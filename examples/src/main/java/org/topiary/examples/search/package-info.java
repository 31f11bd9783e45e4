/**
 * AutoPrune search: an Arbiter search over pruning, L1 and distillation settings for a DL4J
 * network, scored on a validation split.
 *
 * <ul>
 *   <li>Values: {@link org.topiary.examples.search.CandidateSettings} (one candidate), {@link
 *       org.topiary.examples.search.SearchSpace} (ranges and choices), {@link
 *       org.topiary.examples.search.Budget}, {@link org.topiary.examples.search.SearchConstraint}
 *       (the Arbiter score function: validation accuracy subject to a minimum sparsity, a
 *       maximum number of non-zero parameters and a maximum latency of the shrunk network, in
 *       milliseconds or as a ratio to the full-size network), {@link
 *       org.topiary.examples.search.PatternMode} (unstructured or whole neurons).
 *   <li>Cost: after training, each candidate is shrunk ({@code SurgeryPlan}) and timed by the
 *       {@link org.topiary.examples.search.LatencyProbe}; {@link
 *       org.topiary.examples.search.CandidateMetrics} records shrunk shape, params and latency.
 *   <li>Running: {@link org.topiary.examples.search.PruningSearch} (builder) with a {@link
 *       org.topiary.examples.search.GeneratorKind} (random, grid, genetic) and Arbiter's {@code
 *       LocalOptimizationRunner}; {@link org.topiary.examples.search.CandidateTraining} is the
 *       recipe every candidate (and the final run of the best one) trains with.
 *   <li>Allocation: {@link org.topiary.examples.search.AllocationMode}; the sensitivity mode
 *       goes through the {@link org.topiary.examples.search.LayerAllocator} seam, implemented by
 *       {@link org.topiary.examples.search.SensitivityAllocation}.
 *   <li>Output: {@link org.topiary.examples.search.SearchResult} (records, best, Pareto front) and
 *       {@link org.topiary.examples.search.SearchReport} (table, CSV, Pareto PNG, best config).
 * </ul>
 *
 * <p>Arbiter (1.0.0-beta7) is used only here; the library modules do not depend on it. See
 * {@code docs/ARCHITECTURE.md}, section "Search", and {@code topiary search --help}.
 */
package org.topiary.examples.search;

/**
 * Classes that live inside DL4J configurations and are stored in their JSON by fully qualified
 * class name: keep their names and this package stable.
 *
 * <p>Sparsity regularizers, all implementations of ND4J's {@code Regularization}, so they go
 * wherever a configuration already takes one (globally or per layer, in the weight or the bias
 * list):
 *
 * <table>
 *   <caption>Regularizers</caption>
 *   <tr><th>class</th><th>step</th><th>penalty</th><th>exact zeros</th></tr>
 *   <tr><td>{@link org.topiary.sparsity.dl4j.conf.ScheduledL1}</td><td>before updater</td>
 *       <td>λ‖w‖₁, subgradient</td><td>no</td></tr>
 *   <tr><td>{@link org.topiary.sparsity.dl4j.conf.ProximalL1}</td><td>after updater</td>
 *       <td>λ‖w‖₁, soft-threshold</td><td>elements</td></tr>
 *   <tr><td>{@link org.topiary.sparsity.dl4j.conf.GroupLasso}</td><td>before updater</td>
 *       <td>λ Σ sqrt(p)‖w_g‖₂, subgradient</td><td>no</td></tr>
 *   <tr><td>{@link org.topiary.sparsity.dl4j.conf.ProximalGroupLasso}</td><td>after updater</td>
 *       <td>λ Σ sqrt(p)‖w_g‖₂, block soft-threshold</td><td>whole neurons / filters</td></tr>
 * </table>
 *
 * <p>Coefficients are ND4J {@code ISchedule}s; {@link
 * org.topiary.sparsity.dl4j.conf.PiecewiseLinearSchedule} gives warm-up, ramp, hold and decay.
 * Group regularizers are per layer (DL4J gives {@code apply} a flat slice and no layer name).
 * Every class validates its arguments, implements {@code equals}/{@code hashCode}, round-trips
 * through {@code MultiLayerConfiguration.toJson()/fromJson()} and {@code ModelSerializer}, and
 * reports its penalty through {@code score} so it is part of the network's score.
 */
package org.topiary.sparsity.dl4j.conf;

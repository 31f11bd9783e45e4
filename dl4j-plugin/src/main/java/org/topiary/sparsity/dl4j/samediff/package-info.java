/**
 * Topiary for SameDiff graphs: {@link org.topiary.sparsity.dl4j.samediff.SameDiffPruning} prunes
 * the weights of a SameDiff graph during {@code sd.fit} with the same {@link
 * org.topiary.sparsity.PruningConfig} and {@link org.topiary.sparsity.Pruner} as the DL4J
 * listener (a SameDiff {@code Listener} masking the final update in {@code preUpdate} and the
 * weights and updater state in {@code iterationDone}); {@link
 * org.topiary.sparsity.dl4j.samediff.SameDiffPruningFiles} saves its state next to the SameDiff
 * file, in the format of {@link org.topiary.sparsity.dl4j.PruningState}'s zip entries, and resumes
 * from it.
 */
package org.topiary.sparsity.dl4j.samediff;

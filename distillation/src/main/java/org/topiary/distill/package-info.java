/**
 * Knowledge distillation for DL4J. {@link org.topiary.distill.DistillationTrainer} trains a
 * student against a {@link org.topiary.distill.TeacherSource} (online, cached in memory or in a
 * file, top-k, averaged) with the loss {@link org.topiary.distill.conf.KdLoss}, optional {@link
 * org.topiary.distill.Hint feature hints}, and any DL4J listeners (pruning included). {@link
 * org.topiary.distill.KdDataSetIterator} builds the {@code [hard | teacher logits]} labels the loss
 * reads, and {@link org.topiary.distill.HardLabelEvaluation} evaluates a student on hard labels in
 * either head form.
 */
package org.topiary.distill;

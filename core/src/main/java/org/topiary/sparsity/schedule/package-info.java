/**
 * The built-in {@link org.topiary.sparsity.SparsitySchedule} values. Create them through the
 * static factories on {@code SparsitySchedule}.
 */
package org.topiary.sparsity.schedule;

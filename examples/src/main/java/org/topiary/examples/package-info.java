/**
 * Runnable scenarios on top of Topiary: the {@code topiary} command line and what it needs.
 *
 * <ul>
 *   <li>{@link org.topiary.examples.cli} — the command line ({@code TopiaryCli}, one class per
 *       command);
 *   <li>{@link org.topiary.examples.data} — Fashion-MNIST (IDX files or the embedded subset);
 *   <li>{@link org.topiary.examples.train} — model zoo, run specifications, trainer, results;
 *   <li>{@link org.topiary.examples.report} — results table, charts, {@code report.md}, JSON;
 *   <li>{@link org.topiary.examples.backend} — ND4J backend, threads, GPU support check;
 *   <li>{@link org.topiary.examples.progress} and {@link org.topiary.examples.io} — progress
 *       output and atomic files.
 * </ul>
 */
package org.topiary.examples;

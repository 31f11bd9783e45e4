/**
 * Training progress for people watching: a progress bar with ETA on an interactive terminal, plain
 * log lines (one per epoch) otherwise. Chosen by {@link
 * org.topiary.examples.progress.ProgressReporter#forConsole()}.
 */
package org.topiary.examples.progress;

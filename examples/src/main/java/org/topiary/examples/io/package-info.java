/**
 * Output files: where a command writes ({@link org.topiary.examples.io.OutputLocations}, checked
 * before any training) and how ({@link org.topiary.examples.io.AtomicFiles}: a temporary file in
 * the same folder, then an atomic move, so readers never see half a file).
 */
package org.topiary.examples.io;

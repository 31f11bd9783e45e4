/** Measured file sizes of pruned models: dense DL4J zip, checkpoint, stripped zip and sparse file. */
package org.topiary.examples.persist;

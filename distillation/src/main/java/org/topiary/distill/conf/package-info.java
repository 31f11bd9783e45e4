/**
 * Classes stored inside DL4J configurations (by fully-qualified class name, with the shaded
 * Jackson annotations): never rename or move them. {@link org.topiary.distill.conf.KdLoss} is the
 * knowledge-distillation loss for a DL4J output layer.
 */
package org.topiary.distill.conf;

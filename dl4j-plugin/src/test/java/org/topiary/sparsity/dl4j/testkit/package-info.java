/** Fixture networks shared with other modules' tests through the dl4j-plugin test-jar. */
package org.topiary.sparsity.dl4j.testkit;

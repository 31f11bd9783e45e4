/** Test kit shared by Topiary's modules through core's test-jar. */
package org.topiary.sparsity.testkit;

/** placeholder */
package org.topiary.sparsity.dl4j;

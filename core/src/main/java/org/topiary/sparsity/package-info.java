/** placeholder */
package org.topiary.sparsity;

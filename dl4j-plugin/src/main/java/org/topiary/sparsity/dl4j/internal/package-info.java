/** DL4J adapters behind the public API. Not part of the public API. */
package org.topiary.sparsity.dl4j.internal;

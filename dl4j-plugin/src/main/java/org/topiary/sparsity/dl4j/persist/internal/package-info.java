/** File plumbing behind the persistence API: atomic writes, zip access, bit packing. Not public API. */
package org.topiary.sparsity.dl4j.persist.internal;

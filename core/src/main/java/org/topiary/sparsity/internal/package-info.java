/**
 * Implementation helpers shared by Topiary's modules. Not part of the public API: names and
 * signatures here may change in any release.
 */
package org.topiary.sparsity.internal;

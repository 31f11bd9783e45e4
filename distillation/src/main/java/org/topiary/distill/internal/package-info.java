/** Implementation of the distillation module; not a public API, may change without notice. */
package org.topiary.distill.internal;

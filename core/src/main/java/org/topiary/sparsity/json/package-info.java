/** Topiary's versioned JSON for pruning configurations, schedules, scorers and strategies. */
package org.topiary.sparsity.json;

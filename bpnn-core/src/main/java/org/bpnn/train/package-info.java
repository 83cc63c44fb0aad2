/**
 * The training loop: {@link org.bpnn.train.Trainer} (mini-batches, shuffling, validation, early
 * stopping, divergence detection, checkpoints for exact resume), its listeners and history.
 */
package org.bpnn.train;

/**
 * The training loop: {@link org.bpnn.train.Trainer} (mini-batches, shuffling, validation, early
 * stopping, divergence detection, checkpoints for exact resume), its listeners and history, and
 * k-fold {@link org.bpnn.train.CrossValidation}.
 */
package org.bpnn.train;

/** The imbalanced binary classification example: {@code ./bpnn imbalanced}. */
package org.bpnn.examples.imbalanced;

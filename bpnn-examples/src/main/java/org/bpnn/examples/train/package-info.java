/** Training a network on the user's own CSV file: {@code ./bpnn train}. */
package org.bpnn.examples.train;

/** What a saved model or checkpoint file holds: {@code ./bpnn inspect}. */
package org.bpnn.examples.inspect;

/** Runnable examples and the bpnn command line. */
package org.bpnn.examples;

/** JMH benchmarks. */
package org.bpnn.bench;

/** JMH benchmarks of the backend kernels: GEMM (GFLOP/s) and element-wise ops (ns per element). */
package org.bpnn.bench.kernels;

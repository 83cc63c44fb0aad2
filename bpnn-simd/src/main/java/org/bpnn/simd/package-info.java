/** The simd backend: GEMM and element-wise kernels on {@code jdk.incubator.vector}. */
package org.bpnn.simd;

/**
 * The simd backend's kernels: the species holder {@link org.bpnn.simd.kernel.Simd}, the GEMM driver
 * and register-blocked micro-kernels, and the element-wise kernels. Every class here touches
 * {@code jdk.incubator.vector}; nothing here may be loaded before the provider checked the module is
 * readable.
 */
package org.bpnn.simd.kernel;

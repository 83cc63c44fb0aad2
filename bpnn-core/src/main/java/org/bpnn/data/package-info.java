/**
 * In-memory data: {@link org.bpnn.data.Dataset} (validated feature/target rows, plain and stratified splits),
 * {@link org.bpnn.data.Batches} (shuffled mini-batches in preallocated tensors),
 * {@link org.bpnn.data.OneHot} and {@link org.bpnn.data.Normaliser}.
 */
package org.bpnn.data;

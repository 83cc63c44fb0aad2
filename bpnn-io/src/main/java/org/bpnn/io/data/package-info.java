/**
 * Dataset readers: IDX files (MNIST, Fashion-MNIST) and CSV files, producing {@link org.bpnn.tensor.Tensor}s
 * with one sample per row.
 *
 * <ul>
 *   <li>{@link org.bpnn.io.data.IdxReader}: the IDX format, plain or gzipped; errors are
 *       {@link org.bpnn.io.data.IdxFormatException}.</li>
 *   <li>{@link org.bpnn.io.data.MnistFiles}: the four MNIST-style files of one directory as one
 *       {@link org.bpnn.io.data.MnistData}, or with the images left as bytes as one
 *       {@link org.bpnn.io.data.MnistIdx} (a quarter of the memory, for converting parts of them).</li>
 *   <li>{@link org.bpnn.io.data.CsvReader}: numeric CSV, plain or gzipped, with numeric (regression) or
 *       categorical targets, on jackson-dataformat-csv; errors are {@link org.bpnn.io.data.CsvFormatException}.</li>
 * </ul>
 *
 * <p>Both exception types extend {@link java.io.IOException}: a malformed file is a fact about the
 * outside world that a caller reading files must handle anyway, not a programming error. Mistakes in
 * the reader options themselves (a negative column index, a column name without a header) are
 * programming errors and are thrown as {@link java.lang.IllegalArgumentException} by the builders.
 */
package org.bpnn.io.data;

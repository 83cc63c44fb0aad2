package org.bpnn.spark;

/**
 * A row that cannot be read, found on an executor: thrown as "row i of partition p: problem; the
 * row is [...]". Where the row's global index is known (training data), the driver rethrows it as
 * "row g: ..." ({@link #withGlobalIndex}).
 */
final class BadRowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    final int partition;
    final long row;
    final String problem;
    final String shown;

    BadRowException(int partition, long row, String problem, String shown) {
        super("row " + row + " of partition " + partition + ": " + problem + "; the row is " + shown);
        this.partition = partition;
        this.row = row;
        this.problem = problem;
        this.shown = shown;
    }

    IllegalArgumentException withGlobalIndex(long index, Throwable cause) {
        return new IllegalArgumentException("row " + index + ": " + problem + "; the row is " + shown, cause);
    }
}

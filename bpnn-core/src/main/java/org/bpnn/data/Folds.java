package org.bpnn.data;

import java.util.AbstractList;
import java.util.RandomAccess;
import org.bpnn.tensor.Tensor;

/**
 * The k folds of {@link Dataset#kFold} or {@link Dataset#stratifiedKFold}, made one at a time: the list
 * keeps the data set, its rows' shuffled order and each row's fold (a few ints a row), and
 * {@link #get(int) get(f)} copies fold f's rows into a new {@link Dataset.Split} each time it is called.
 * Holding one fold at a time (as {@link org.bpnn.train.CrossValidation} does) holds one copy of the data
 * beside it, not k (when every fold was copied up front, k folds held the data k times over: once as
 * validation rows, k - 1 times as training rows).
 *
 * <p>A fold's parts are copied from the data set's tensors as they are when it is asked for; like a
 * trainer, folds expect the data not to change under them. The list is unmodifiable; iterating it, or
 * {@code List.copyOf} of it, makes every fold.
 */
public final class Folds extends AbstractList<Dataset.Split> implements RandomAccess {
    private final Dataset data;
    private final String method;
    private final long seed;
    private final int[] order;
    private final int[] foldOf;
    private final int[] size;

    /** Row order[j] is the j-th row of both parts it is in; foldOf[r] is the fold row r validates in; size: rows per fold. */
    Folds(Dataset data, String method, long seed, int[] order, int[] foldOf, int[] size) {
        this.data = data;
        this.method = method;
        this.seed = seed;
        this.order = order;
        this.foldOf = foldOf;
        this.size = size;
    }

    /** The number of folds, k. */
    @Override
    public int size() {
        return size.length;
    }

    /**
     * Fold {@code fold}'s parts, copied now (a new Split, equal in every value to the last one): the rows
     * that validate in it, and every other row, each part in the shuffled order.
     */
    @Override
    public Dataset.Split get(int fold) {
        requireFold(fold);
        int n = order.length;
        int[] train = new int[n - size[fold]], validation = new int[size[fold]];
        int t = 0, v = 0;
        for (int r : order) {
            if (foldOf[r] == fold) validation[v++] = r;
            else train[t++] = r;
        }
        return new Dataset.Split(data.subset(train), data.subset(validation));
    }

    /**
     * The targets of fold {@code fold}'s validation part, (rows, targetCount), as {@code get(fold)} would
     * give them, without copying the features or the train part: for checks of the targets before the
     * folds are used (e.g. that a metric can be computed on each fold's validation part).
     */
    public Tensor validationTargets(int fold) {
        requireFold(fold);
        Tensor all = data.targets();
        int k = all.cols();
        Tensor y = Tensor.zeros(size[fold], k);
        int v = 0;
        for (int r : order) {
            if (foldOf[r] == fold) System.arraycopy(all.data(), r * k, y.data(), k * v++, k);
        }
        return y;
    }

    private void requireFold(int fold) {
        if (fold < 0 || fold >= size.length) {
            throw new IndexOutOfBoundsException("fold " + fold + " of " + method + "(" + size.length + ", " + seed
                    + "): folds are numbered 0 to " + (size.length - 1));
        }
    }

    /** The method and its arguments, and the rows: e.g. {@code kFold(5, 42) of 150 rows}. */
    @Override
    public String toString() {
        return method + "(" + size.length + ", " + seed + ") of " + order.length + " rows";
    }
}

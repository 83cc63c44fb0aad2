package org.bpnn.io.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bpnn.io.internal.Counts;
import org.bpnn.tensor.Tensor;

/**
 * Loads the four files of an MNIST-style dataset (MNIST, Fashion-MNIST, KMNIST) from one directory.
 *
 * <p>The files are the standard names {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each either plain or with a
 * {@code .gz} suffix (the plain one wins if both exist; gzip is detected by content either way). On
 * Debian/Ubuntu, {@code apt-get install dataset-fashion-mnist} puts Fashion-MNIST in
 * {@link #FASHION_MNIST_DIR}.
 *
 * <pre>{@code
 * MnistData d = MnistFiles.load(MnistFiles.FASHION_MNIST_DIR, 1f / 255);   // pixels in 0..1
 * }</pre>
 */
public final class MnistFiles {
    /** Where the Debian package dataset-fashion-mnist installs the files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The base names of the training images, training labels, test images, test labels, in that order. */
    public static final List<String> FILE_NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private MnistFiles() {
    }

    /** {@link #load(Path, float)} with raw pixel values 0..255. */
    public static MnistData load(Path dir) throws IOException {
        return load(dir, 1f);
    }

    /**
     * Reads the four files of {@code dir}, pixel values (0..255 in the files) multiplied by {@code scale}
     * (&gt; 0, with 255 * scale a finite float; {@code 1f / 255} gives 0..1), and checks that each
     * image file has as many images as its label file has labels and that training and test images have
     * the same size. Labels are as the files hold them (0..9 for MNIST), not checked against a range.
     *
     * @throws IllegalArgumentException when dir is null or scale is out of range
     * @throws FileNotFoundException when files are missing; the message lists the expected names
     * @throws IdxFormatException when a file is malformed or the counts or sizes disagree
     */
    public static MnistData load(Path dir, float scale) throws IOException {
        checkDir(dir);
        IdxData.checkScale(scale);
        Path[] files = locate(dir);
        Tensor trainX = IdxReader.readImages(files[0], scale);
        int[] trainY = IdxReader.readLabels(files[1]);
        Tensor testX = IdxReader.readImages(files[2], scale);
        int[] testY = IdxReader.readLabels(files[3]);
        checkCounts(files, trainX.rows(), trainY, testX.rows(), testY);
        checkPixels(files, trainX.cols(), testX.cols());
        return new MnistData(trainX, trainY, testX, testY);
    }

    /**
     * Reads the four files of {@code dir} with the checks of {@link #load(Path, float)}, the images left as
     * their bytes ({@link IdxReader#readImageData}): a quarter of the memory of {@link #load}'s float
     * tensors, for a caller that splits the images into parts and converts each part itself
     * ({@link IdxData#toTensor(int[], int, int, float)}), so that the full set is never held as floats
     * beside the parts.
     *
     * @throws IllegalArgumentException when dir is null
     * @throws FileNotFoundException when files are missing; the message lists the expected names
     * @throws IdxFormatException when a file is malformed or the counts or sizes disagree
     */
    public static MnistIdx loadIdx(Path dir) throws IOException {
        Path[] files = locate(dir);
        IdxData trainX = IdxReader.readImageData(files[0]);
        int[] trainY = IdxReader.readLabels(files[1]);
        IdxData testX = IdxReader.readImageData(files[2]);
        int[] testY = IdxReader.readLabels(files[3]);
        // the file-named checks before the record's own, which cannot name the files
        int trainCount = trainX.dims()[0], testCount = testX.dims()[0];
        checkCounts(files, trainCount, trainY, testCount, testY);
        checkPixels(files, trainX.count() / trainCount, testX.count() / testCount);
        return new MnistIdx(trainX, trainY, testX, testY);
    }

    /** Loads Fashion-MNIST from {@link #FASHION_MNIST_DIR}, pixel values multiplied by {@code scale}. */
    public static MnistData loadFashionMnist(float scale) throws IOException {
        return load(FASHION_MNIST_DIR, scale);
    }

    /**
     * The four files of {@code dir} in {@link #FILE_NAMES} order, each the plain name or its {@code .gz}.
     *
     * @throws IllegalArgumentException when dir is null
     * @throws FileNotFoundException naming every missing file
     */
    public static Path[] locate(Path dir) throws FileNotFoundException {
        checkDir(dir);
        Path[] found = new Path[FILE_NAMES.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            String name = FILE_NAMES.get(i);
            Path plain = dir.resolve(name);
            Path gz = dir.resolve(name + ".gz");
            if (Files.isRegularFile(plain)) {
                found[i] = plain;
            } else if (Files.isRegularFile(gz)) {
                found[i] = gz;
            } else {
                missing.add(name + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            sb.append("MNIST-style dataset not found in ").append(dir.toAbsolutePath())
                    .append(Files.isDirectory(dir) ? "" : Files.exists(dir) ? " (a file, not a directory)" : " (no such directory)")
                    .append(": expected the files ");
            for (int i = 0; i < FILE_NAMES.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(FILE_NAMES.get(i)).append("[.gz]");
            }
            sb.append("; missing ").append(String.join(", ", missing))
                    .append(". For Fashion-MNIST run `apt-get install dataset-fashion-mnist` (files land in ")
                    .append(FASHION_MNIST_DIR).append("), or download the four files into that directory.");
            throw new FileNotFoundException(sb.toString());
        }
        return found;
    }

    private static void checkDir(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("dir is null; pass the directory holding the four files, e.g. MnistFiles.FASHION_MNIST_DIR");
        }
    }

    /** Each image file has as many images as its label file has labels (files in {@link #FILE_NAMES} order). */
    private static void checkCounts(Path[] files, int trainImages, int[] trainLabels, int testImages, int[] testLabels)
            throws IdxFormatException {
        checkCounts(files[0], trainImages, files[1], trainLabels);
        checkCounts(files[2], testImages, files[3], testLabels);
    }

    private static void checkCounts(Path imagesFile, int images, Path labelsFile, int[] labels) throws IdxFormatException {
        if (images != labels.length) {
            throw new IdxFormatException(labelsFile.toString(), 4, labelsFile + " has " + Counts.of(labels.length, "label") + ", but " + imagesFile
                    + " has " + Counts.of(images, "image") + "; they must have one label per image, check that both come from the same dataset");
        }
    }

    /** Training and test images have the same number of pixels. */
    private static void checkPixels(Path[] files, int trainPixels, int testPixels) throws IdxFormatException {
        if (trainPixels != testPixels) {
            throw new IdxFormatException(files[2].toString(), -1, files[2] + " has images of " + Counts.of(testPixels, "pixel") + ", but "
                    + files[0] + " has " + trainPixels + "; training and test files must come from the same dataset");
        }
    }
}

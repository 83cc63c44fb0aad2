package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Dense;
import org.bpnn.nn.Dropout;
import org.bpnn.nn.Initializer;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelFileRoundTripTest {
    @TempDir
    Path dir;

    /** Every built-in activation, as the hidden one or (softmax) the output one. */
    static Stream<Arguments> activations() {
        return Stream.of(
                Arguments.of(Activation.identity(), Activation.identity(), Loss.mse()),
                Arguments.of(Activation.sigmoid(), Activation.sigmoid(), Loss.binaryCrossEntropy()),
                Arguments.of(Activation.tanh(), Activation.tanh(), Loss.mse()),
                Arguments.of(Activation.relu(), Activation.identity(), Loss.mae()),
                Arguments.of(Activation.leakyRelu(0.137f), Activation.leakyRelu(0.01f), Loss.huber(0.73)),
                Arguments.of(Activation.relu(), Activation.softmax(), Loss.categoricalCrossEntropy()));
    }

    /** Every built-in loss with a fitting output activation. */
    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of(Loss.mse(), Activation.identity()),
                Arguments.of(Loss.mae(), Activation.identity()),
                Arguments.of(Loss.huber(1.0 / 3), Activation.identity()),
                Arguments.of(Loss.binaryCrossEntropy(), Activation.sigmoid()),
                Arguments.of(Loss.binaryCrossEntropyFromLogits(), Activation.identity()),
                Arguments.of(Loss.categoricalCrossEntropy(), Activation.softmax()),
                Arguments.of(Loss.categoricalCrossEntropyFromLogits(), Activation.identity()));
    }

    @ParameterizedTest
    @MethodSource("activations")
    void everyActivationRoundTripsBitExactly(Activation hidden, Activation output, Loss loss) throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            Network net = TestNets.net(7, hidden, 4, output, loss, seed);
            assertSameModel(net, roundTrip(net));
        }
    }

    @ParameterizedTest
    @MethodSource("losses")
    void everyLossRoundTripsBitExactly(Loss loss, Activation output) throws IOException {
        Network net = TestNets.net(5, Activation.tanh(), 3, output, loss, 11);
        Network back = roundTrip(net);
        assertSameModel(net, back);
        assertEquals(loss.name(), back.loss().name());
        assertEquals(Double.doubleToLongBits(loss.parameter()), Double.doubleToLongBits(back.loss().parameter()));
    }

    @Test
    void awkwardParametersAreExact() throws IOException {
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            float slope = Math.nextUp(r.nextFloat() * 0.999f);
            double delta = Math.abs(r.nextGaussian()) * Math.pow(10, r.nextInt(20) - 10) + Double.MIN_NORMAL;
            if (i == 0) slope = Math.nextUp(0f);          // the smallest subnormal
            if (i == 1) slope = Math.nextDown(1f);
            if (i == 2) delta = Double.MIN_VALUE;
            Network net = Network.builder(2).dense(2, Activation.leakyRelu(slope)).dense(1, Activation.identity())
                    .loss(Loss.huber(delta)).backend(TestNets.SCALAR).build();
            Network back = ModelFile.fromBytes(ModelFile.toBytes(SavedModel.of(net)), "t", TestNets.SCALAR,
                    ModelFile.Limits.DEFAULT).network();
            assertEquals(Float.floatToIntBits(slope), Float.floatToIntBits(back.layers().get(0).activation().parameter()));
            assertEquals(Double.doubleToLongBits(delta), Double.doubleToLongBits(back.loss().parameter()));
        }
    }

    private static Dropout dropoutLayer(Network net) {
        return (Dropout) net.layers().get(1);
    }

    private static Network withDropout(double rate) {
        return Network.builder(2).dense(4, Activation.relu()).dropout(rate).dense(1, Activation.identity())
                .loss(Loss.mse()).seed(5).backend(TestNets.SCALAR).build();
    }

    /**
     * A dropout layer keeps a float rate and a scale rounded once from the double rate it was built
     * with; the file held only the float rate, and the layer rebuilt from it widened back had another
     * scale for most rates that are not floats (0.45: 1.8181818 instead of 1.8181819), so training
     * after a load differed in the last bit.
     */
    @Test
    void aDropoutLayersRateAndScaleRoundTripExactly() throws IOException {
        Random r = new Random(4);
        double[] fixed = {0.45, 0.1, 0.3, 0.5, 0, 1.0 / 3, 0.4500000001, 0.45 + 1e-9, Math.nextDown(0.45), 0.9999999};
        for (int i = 0; i < fixed.length + 300; i++) {
            double rate = i < fixed.length ? fixed[i] : r.nextDouble() * 0.99;
            Network net = withDropout(rate);
            Network back = ModelFile.fromBytes(ModelFile.toBytes(SavedModel.of(net)), "t", TestNets.SCALAR,
                    ModelFile.Limits.DEFAULT).network();
            assertEquals(Float.floatToIntBits(dropoutLayer(net).rate()), Float.floatToIntBits(dropoutLayer(back).rate()),
                    "rate of dropout(" + rate + ")");
            assertEquals(Float.floatToIntBits(dropoutLayer(net).scale()), Float.floatToIntBits(dropoutLayer(back).scale()),
                    "scale of dropout(" + rate + ")");
        }
    }

    /**
     * Files written before the rate carried the scale hold the float rate's shortest decimal; they
     * load as before (the same float rate), and the decimal is read as a double, as the builder was
     * given it, so a "0.45" written from dropout(0.45) rebuilds that layer exactly too.
     */
    @Test
    void anOldFilesFloatRateStillLoads() throws IOException {
        ModelBytes parts = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(withDropout(0.25))));
        for (String old : new String[] {"0.45", "0.44999998807907104", "0.45000002"}) {
            byte[] file = parts.withTree(t -> ((com.fasterxml.jackson.databind.node.ObjectNode)
                    t.get("architecture").get("layers").get(1)).put("rate", new java.math.BigDecimal(old)));
            Dropout d = dropoutLayer(ModelFile.fromBytes(file, "old", TestNets.SCALAR, ModelFile.Limits.DEFAULT).network());
            Dropout built = dropoutLayer(withDropout(Double.parseDouble(old)));
            assertEquals(Float.floatToIntBits(Float.parseFloat(old)), Float.floatToIntBits(d.rate()), old);
            assertEquals(Float.floatToIntBits(built.scale()), Float.floatToIntBits(d.scale()), old);
        }
    }

    @Test
    void negativeZeroInTheSummaryIsWrittenAsZeroSoResavingGivesTheSameBytes() throws IOException {
        // -0.0 was written, read back as 0.0, and a re-save gave other bytes
        Network net = TestNets.small();
        byte[] first = ModelFile.toBytes(new SavedModel(net, null, ModelMetadata.of(net, Map.of("acc", -0.0))
                .withCreated(Instant.EPOCH)));
        SavedModel back = ModelFile.fromBytes(first, "m", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertEquals(0.0, (Double) back.metadata().training().get("acc"));
        assertArrayEquals(first, ModelFile.toBytes(back));
    }

    @Test
    void aLoneSurrogateInTheSummaryIsRefusedAtTheStartNotReadBackAsAQuestionMark() {
        // a string cut between the two chars of an emoji was saved and came back with '?' in its place
        Network net = TestNets.small();
        String cut = "best \uD83D\uDE00".substring(0, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelMetadata.of(net, Map.of("note", cut)));
        assertEquals("training summary 'note' has a lone UTF-16 surrogate (U+D83D) at index 5, half of a character, which a model "
                + "file cannot hold (it would read back as '?'); remove it or keep the whole character", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelMetadata.of(net, Map.of("\uDE00key", 1)));
        // whole pairs are fine
        assertEquals("best \uD83D\uDE00", ModelMetadata.of(net, Map.of("note", "best \uD83D\uDE00")).training().get("note"));
    }

    /** A seed and a summary count may be any long: Long.MAX_VALUE, the top of the range the reader takes, loads too. */
    @Test
    void theLargestLongSeedAndSummaryValueRoundTrip() throws IOException {
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse())
                .seed(Long.MAX_VALUE).backend(TestNets.SCALAR).build();
        SavedModel back = ModelFile.fromBytes(ModelFile.toBytes(SavedModel.of(net, Map.of("big", Long.MAX_VALUE))), "m",
                TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertEquals(Long.MAX_VALUE, back.metadata().seed());
        assertEquals(Long.MAX_VALUE, back.network().seed());
        assertEquals(Long.MAX_VALUE, back.metadata().training().get("big"));
    }

    @Test
    void metadataRoundTrips() throws IOException {
        Network net = TestNets.small();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", 20);
        training.put("final_loss", 0.0123456789);
        training.put("dataset", "iris \"quoted\" \u00e9\u4e2d");
        training.put("early_stopped", true);
        training.put("big", Long.MIN_VALUE);
        Instant when = Instant.parse("2026-11-28T22:01:02.123456789Z");
        SavedModel m = new SavedModel(net, null, ModelMetadata.of(net, training).withCreated(when));
        Path f = dir.resolve("m.bpnn");
        ModelFile.save(m, f);
        SavedModel back = ModelFile.load(f, TestNets.SCALAR);
        assertEquals(when, back.metadata().created());
        assertEquals(ModelFile.LIBRARY_VERSION, back.metadata().libraryVersion());
        assertEquals("scalar", back.metadata().backend());
        assertEquals(7L, back.metadata().seed());
        assertEquals(7L, back.network().seed());
        assertEquals(List.copyOf(m.metadata().training().entrySet()), List.copyOf(back.metadata().training().entrySet()));
        assertEquals(20L, back.metadata().training().get("epochs"));
        assertEquals(m.metadata(), back.metadata());
    }

    @Test
    void savesAndLoadsThroughFilesOnTheRequestedBackend() throws IOException {
        Network net = TestNets.small();
        Path f = dir.resolve("sub-dir-free.bpnn");
        ModelFile.save(net, Map.of("epochs", 3), f);
        SavedModel back = ModelFile.load(f, TestNets.SCALAR);
        assertSame(TestNets.SCALAR, back.network().backend());
        assertSameModel(net, back.network());
        assertEquals(Files.size(f), ModelFile.toBytes(new SavedModel(net, null, back.metadata())).length);
        // saving again replaces the file, and a default-backend load works too
        ModelFile.save(net, f);
        assertEquals(3, ModelFile.load(f).network().outputSize());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void dropoutLayersRoundTrip() throws IOException {
        Network net = Network.builder(6).dropout(0.2).dense(8, Activation.relu()).dropout(0.5)
                .dense(3, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).seed(5).backend(TestNets.SCALAR).build();
        Network back = roundTrip(net);
        assertSameModel(net, back);
        assertTrue(back.layers().get(0) instanceof Dropout);
        assertEquals(Float.floatToIntBits(0.2f), Float.floatToIntBits(((Dropout) back.layers().get(0)).rate()));
        assertEquals(Float.floatToIntBits(0.5f), Float.floatToIntBits(((Dropout) back.layers().get(2)).rate()));
        // the mask generators start where a freshly built network's do (seeded from seed and position)
        assertEquals(((Dropout) net.layers().get(2)).rngState(), ((Dropout) back.layers().get(2)).rngState());
    }

    @Test
    void normalisersRoundTripAndApplyBeforeTheNetwork() throws IOException {
        Network net = TestNets.net(5, Activation.sigmoid(), 2, Activation.identity(), Loss.mse(), 8);
        Tensor train = TestNets.inputs(50, 5, 1);
        for (Normaliser norm : List.of(Normaliser.standardise(train), Normaliser.minMax(train))) {
            Path f = dir.resolve("norm.bpnn");
            ModelFile.save(SavedModel.of(net, norm, Map.of("normalised", true)), f);
            SavedModel back = ModelFile.load(f, TestNets.SCALAR);
            assertEquals(norm.kind(), back.normaliser().kind());
            assertArrayEquals(bits(norm.center()), bits(back.normaliser().center()));
            assertArrayEquals(bits(norm.scale()), bits(back.normaliser().scale()));
            Tensor raw = TestNets.inputs(9, 5, 2);
            float[] expected = net.predict(norm.apply(raw)).data();
            assertArrayEquals(bits(expected), bits(back.predict(raw).data()));
            assertArrayEquals(bits(net.predict(norm.apply(Tensor.wrap(1, 5, raw.rowCopy(3)))).data()),
                    bits(back.predict(raw.rowCopy(3))));
        }
        assertEquals(null, ModelFile.fromBytes(ModelFile.toBytes(SavedModel.of(net)), "t", TestNets.SCALAR,
                ModelFile.Limits.DEFAULT).normaliser());
    }

    @Test
    void aTargetNormaliserRoundTripsAndPredictionsComeOutInTheTargetsUnits() throws IOException {
        Network net = TestNets.net(5, Activation.tanh(), 2, Activation.identity(), Loss.mse(), 8);
        Tensor trainX = TestNets.inputs(50, 5, 1);
        Tensor targets = TestNets.inputs(50, 2, 3);
        for (int i = 0; i < targets.size(); i++) targets.data()[i] = 1000f + 250f * targets.data()[i]; // prices, say
        Normaliser xn = Normaliser.standardise(trainX);
        for (Normaliser yn : List.of(Normaliser.standardise(targets), Normaliser.minMax(targets))) {
            Path f = dir.resolve("regression.bpnn");
            ModelFile.save(SavedModel.of(net, xn, yn, Map.of("targets", "normalised")), f);
            SavedModel back = ModelFile.load(f, TestNets.SCALAR);
            assertEquals(yn.kind(), back.targetNormaliser().kind());
            assertArrayEquals(bits(yn.center()), bits(back.targetNormaliser().center()));
            assertArrayEquals(bits(yn.scale()), bits(back.targetNormaliser().scale()));
            Tensor raw = TestNets.inputs(9, 5, 2);
            float[] expected = yn.inverse(net.predict(xn.apply(raw))).data();
            assertArrayEquals(bits(expected), bits(back.predict(raw).data()));
            assertArrayEquals(bits(yn.inverse(net.predict(xn.apply(Tensor.wrap(1, 5, raw.rowCopy(3))))).data()),
                    bits(back.predict(raw.rowCopy(3))));
        }
        // without an input normaliser too; and a model without one reads back without one
        ModelFile.save(SavedModel.of(net, null, Normaliser.standardise(targets), null), dir.resolve("y-only.bpnn"));
        assertEquals(null, ModelFile.load(dir.resolve("y-only.bpnn"), TestNets.SCALAR).normaliser());
        assertEquals(null, ModelFile.fromBytes(ModelFile.toBytes(SavedModel.of(net, xn, null)), "t", TestNets.SCALAR,
                ModelFile.Limits.DEFAULT).targetNormaliser());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(net, xn, Normaliser.standardise(trainX), null));
        // Normaliser.standardise(trainX) fitted on the features, the mistake standardise(train) makes too: the
        // refusal said what was wrong, not what to fit it on
        assertEquals("the target normaliser was fitted on 5 target columns but the network has 2 outputs; fit it on the"
                + " training targets, Normaliser.standardise(train.targets()) (standardise(train) fits the features)",
                e.getMessage());
    }

    /**
     * A classification model's targets are classes: a target normaliser for it is refused, when the
     * model is made and when a file holds one (predictClasses read classes from the raw outputs, the
     * CLI and SparkScorer from the mapped ones).
     */
    @Test
    void aTargetNormaliserIsRefusedForAClassificationLoss() throws IOException {
        Network net = TestNets.net(5, Activation.tanh(), 3, Activation.softmax(), Loss.categoricalCrossEntropy(), 8);
        Normaliser yn = Normaliser.standardise(TestNets.inputs(20, 3, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SavedModel.of(net, null, yn, null));
        assertTrue(e.getMessage().startsWith("a target normaliser was given, but the network's loss (categorical_cross_entropy)"
                + " is a classification loss"), e.getMessage());
        // a regression model's file with its loss renamed (checksums fixed); a softmax output, since
        // categorical_cross_entropy over an identity one is refused as an invalid network first
        Network regression = TestNets.net(5, Activation.tanh(), 3, Activation.softmax(), Loss.mse(), 8);
        ModelBytes file = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(regression, null, yn, null)));
        byte[] bytes = file.withTree(t -> t.withObject("/architecture/loss").put("name", "categorical_cross_entropy"));
        ModelFormatException m = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(bytes, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(m.getMessage().contains("target_normaliser") && m.getMessage().contains("classification loss"), m.getMessage());
    }

    @Test
    void initializersArePreserved() throws IOException {
        Network net = Network.builder(3).dense(4, Activation.relu(), Initializer.heUniform())
                .dense(2, Activation.identity(), (w, in, out, r) -> { })
                .loss(Loss.mse()).backend(TestNets.SCALAR).build();
        Network back = roundTrip(net);
        assertSame(Initializer.heUniform(), ((Dense) back.layers().get(0)).initializer());
        // a custom initialiser cannot be recreated: the default for the activation stands in
        assertSame(Initializer.defaultFor(Activation.identity()), ((Dense) back.layers().get(1)).initializer());
        assertSameModel(net, back);
    }

    @Test
    void headerIsReadableJson() throws IOException {
        byte[] bytes = ModelFile.toBytes(SavedModel.of(TestNets.small()));
        String header = ModelBytes.parse(bytes).headerText();
        assertTrue(header.contains("\"format\" : \"bpnn-model\""), header);
        assertTrue(header.contains("\"name\" : \"tanh\""), header);
        assertTrue(header.contains("\"sha256\""), header);
        // 4-6-5-3 has 30 + 35 + 18 = 83 floats
        assertEquals(83 * 4, ModelBytes.parse(bytes).data.length);
    }

    @Test
    void mnistSizedModelIsCompact() throws IOException {
        Network net = Network.builder(784).dense(256, Activation.relu()).dense(128, Activation.relu())
                .dense(10, Activation.softmax()).loss(Loss.categoricalCrossEntropy()).backend(TestNets.SCALAR).build();
        byte[] bytes = ModelFile.toBytes(SavedModel.of(net));
        assertEquals(235_146L * 4, ModelBytes.parse(bytes).data.length);
        assertTrue(bytes.length < 235_146L * 4 + 4096, "header overhead under 4 KiB, got " + bytes.length);
        assertSameModel(net, ModelFile.fromBytes(bytes, "mnist", TestNets.SCALAR, ModelFile.Limits.DEFAULT).network());
    }

    private Network roundTrip(Network net) throws IOException {
        Path f = dir.resolve("rt.bpnn");
        ModelFile.save(net, f);
        Network back = ModelFile.load(f, TestNets.SCALAR).network();
        assertNotSame(net, back);
        return back;
    }

    /** Same architecture, bitwise-equal parameters, bitwise-equal predictions on random inputs. */
    static void assertSameModel(Network expected, Network actual) {
        assertEquals(expected.inputSize(), actual.inputSize());
        assertEquals(expected.layers().size(), actual.layers().size());
        for (int i = 0; i < expected.layers().size(); i++) {
            assertEquals(expected.layers().get(i).toString(), actual.layers().get(i).toString());
            assertEquals(expected.layers().get(i).activation().name(), actual.layers().get(i).activation().name());
            assertEquals(Float.floatToIntBits(expected.layers().get(i).activation().parameter()),
                    Float.floatToIntBits(actual.layers().get(i).activation().parameter()));
        }
        assertEquals(expected.loss().name(), actual.loss().name());
        assertEquals(expected.parameters().size(), actual.parameters().size());
        for (int p = 0; p < expected.parameters().size(); p++) {
            assertArrayEquals(bits(expected.parameters().get(p).value().data()),
                    bits(actual.parameters().get(p).value().data()), "parameter " + p);
        }
        Tensor x = TestNets.inputs(33, expected.inputSize(), 99);
        assertArrayEquals(bits(expected.predict(x).data()), bits(actual.predict(x).data()), "predictions");
    }

    static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToIntBits(a[i]);
        return b;
    }

    @Test
    void aModelWithANormaliserNamesTheInputShapeItTakes() {
        // the normaliser's check spoke first: "x has null; normalise data with the same columns", and
        // for a wrong width told the caller to normalise, which the model does itself
        Network net = Network.builder(2).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
        SavedModel m = SavedModel.of(net, Normaliser.standardise(Tensor.of(new float[][] {{1, 2}, {3, 5}})), Map.of());
        String nul = assertThrows(IllegalArgumentException.class, () -> m.predict((Tensor) null)).getMessage();
        assertEquals("x is null; expected a tensor of shape (batch, 2)", nul);
        String narrow = assertThrows(IllegalArgumentException.class, () -> m.predict(1f)).getMessage();
        assertTrue(narrow.startsWith("x has 1 value, expected 2: the network's first layer takes 2 features per sample;"
                + " pass one sample's 2 features"), narrow);
        assertEquals("x has shape (3, 1), expected (batch, 2): the network's first layer takes 2 features per sample",
                assertThrows(IllegalArgumentException.class, () -> m.predictClasses(Tensor.zeros(3, 1))).getMessage());
    }

    /**
     * Feature names (a CSV header's feature columns) round-trip with the model and are checked where
     * they are made and where they are read: one per input, none empty, no two alike. A model
     * without them writes no such field.
     */
    @Test
    void featureNamesRoundTripAndAreChecked() throws IOException {
        Network net = TestNets.net(3, Activation.tanh(), 2, Activation.identity(), Loss.mse(), 8);
        List<String> names = List.of("age", "income", "rooms");
        SavedModel named = SavedModel.of(net, Map.of()).withFeatureNames(names);
        SavedModel back = ModelFile.fromBytes(ModelFile.toBytes(named), "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertEquals(names, back.featureNames());
        assertEquals(null, ModelFile.fromBytes(ModelFile.toBytes(SavedModel.of(net)), "m.bpnn", TestNets.SCALAR,
                ModelFile.Limits.DEFAULT).featureNames());
        assertTrue(!ModelBytes.parse(ModelFile.toBytes(SavedModel.of(net))).headerText().contains("feature_names"),
                "a model without names writes the header it wrote before");

        assertEquals("2 feature names were given, but the network takes 3 inputs; give one name per input, in the order of"
                + " the training data's columns", assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(net).withFeatureNames(List.of("a", "b"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SavedModel.of(net).withFeatureNames(List.of("a", " ", "c")))
                .getMessage().startsWith("feature name 1 is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SavedModel.of(net).withFeatureNames(List.of("a", "b", "a")))
                .getMessage().startsWith("feature name \"a\" is given for inputs 0 and 2"));
        assertThrows(IllegalArgumentException.class, () -> SavedModel.of(net).withFeatureNames(null));

        ModelBytes file = ModelBytes.parse(ModelFile.toBytes(named));
        for (String[] bad : new String[][] {{"a", "b"}, {"a", "b", "a"}, {"a", "", "c"}}) {
            byte[] bytes = file.withTree(t -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = t.putArray("feature_names");
                for (String n : bad) a.add(n);
            });
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> ModelFile.fromBytes(bytes, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
            assertTrue(e.getMessage().contains("feature_names"), e.getMessage());
        }
        byte[] numbers = file.withTree(t -> t.putArray("feature_names").add(1).add(2).add(3));
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(numbers, "m.bpnn", TestNets.SCALAR,
                ModelFile.Limits.DEFAULT)).getMessage().contains("expected a string"));
    }

    /**
     * A feature name with surrounding whitespace is refused where made and where read: CSV header
     * names are read trimmed (CsvReader, ./bpnn predict), so " age" could never match a column, and
     * every headed CSV was refused as missing it. Found by review.
     */
    @Test
    void aFeatureNameWithSurroundingWhitespaceIsRefused() throws IOException {
        Network net = TestNets.net(2, Activation.tanh(), 2, Activation.identity(), Loss.mse(), 8);
        assertEquals("feature name 0 \" age\" has surrounding whitespace; CSV header names are read trimmed, so it would"
                + " match no column: pass \"age\"", assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(net).withFeatureNames(List.of(" age", "rooms"))).getMessage());
        byte[] bytes = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(net).withFeatureNames(List.of("age", "rooms"))))
                .withTree(t -> t.putArray("feature_names").add("age").add("rooms\t"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(bytes, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("feature_names") && e.getMessage().contains("surrounding whitespace"), e.getMessage());
    }

    /**
     * A feature or class name that kept its CSV quotes ({@code "b"}, quote characters included, as a
     * header {@code a, "b"} gives it) is refused where made and where read, as CsvReader refuses such
     * a header name or class, in the same words: it matched no plain b column. Found by review.
     */
    @Test
    void aNameThatKeptItsCsvQuotesIsRefused() throws IOException {
        Network net = TestNets.net(2, Activation.tanh(), 2, Activation.identity(), Loss.mse(), 8);
        String refusal = " kept its quotes: a quote opens a quoted value only right after the delimiter or at the start"
                + " of a line, not after a space; remove the spaces before the quotes";
        assertEquals("feature name 1 \"b\"" + refusal + " in the CSV header, or pass the name without them: \"b\"",
                assertThrows(IllegalArgumentException.class,
                        () -> SavedModel.of(net).withFeatureNames(List.of("a", "\"b\""))).getMessage());
        // padded too: the quotes are named, not the whitespace (whose advice, "\"b\"", would be refused next)
        assertEquals("feature name 0 \" a b\"" + refusal + " in the CSV header, or pass the name without them: \"a b\"",
                assertThrows(IllegalArgumentException.class,
                        () -> SavedModel.of(net).withFeatureNames(List.of("  \" a b\" ", "b"))).getMessage());
        // one quote, or quotes inside, is a name like any other
        assertEquals(List.of("\"a", "b \"c\" d"), SavedModel.of(net).withFeatureNames(List.of("\"a", "b \"c\" d")).featureNames());

        Network classifier = TestNets.net(2, Activation.tanh(), 2, Activation.softmax(), Loss.categoricalCrossEntropy(), 8);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(classifier).withClassNames(List.of("\"cat\"", "dog"))).getMessage()
                .startsWith("class name 0 \"cat\"" + refusal + " in the CSV label column"));

        byte[] bytes = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(net).withFeatureNames(List.of("a", "b"))))
                .withTree(t -> t.putArray("feature_names").add("a").add("\"b\""));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(bytes, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("feature_names") && e.getMessage().contains("feature name 1 \"b\"" + refusal),
                e.getMessage());
    }

    /**
     * Class names (e.g. a categorical CSV's classNames()) round-trip with a classifier, two for a
     * one-output model, and are refused for a regression model, with the wrong count, or twice.
     */
    @Test
    void classNamesRoundTripAndAreChecked() throws IOException {
        Network net = TestNets.net(3, Activation.tanh(), 3, Activation.softmax(), Loss.categoricalCrossEntropy(), 8);
        SavedModel named = SavedModel.of(net).withClassNames(List.of("setosa", "versicolor", "virginica"))
                .withFeatureNames(List.of("a", "b", "c"));
        SavedModel back = ModelFile.fromBytes(ModelFile.toBytes(named), "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertEquals(List.of("setosa", "versicolor", "virginica"), back.classNames());
        assertEquals(List.of("a", "b", "c"), back.featureNames(), "withClassNames then withFeatureNames keeps both");
        assertEquals(null, ModelFile.fromBytes(ModelFile.toBytes(SavedModel.of(net)), "m.bpnn", TestNets.SCALAR,
                ModelFile.Limits.DEFAULT).classNames());
        Network binary = TestNets.net(3, Activation.tanh(), 1, Activation.sigmoid(), Loss.binaryCrossEntropy(), 8);
        assertEquals(List.of("no", "yes"), SavedModel.of(binary).withClassNames(List.of("no", "yes")).classNames());

        assertEquals("2 class names were given, but the network tells 3 classes apart; give one name per class, in"
                + " class-index order (e.g. csv.classNames())", assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(net).withClassNames(List.of("a", "b"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SavedModel.of(net).withClassNames(List.of("a", "b", "a")))
                .getMessage().startsWith("class name \"a\" is given for classes 0 and 2"));
        Network regression = TestNets.net(3, Activation.tanh(), 2, Activation.identity(), Loss.mse(), 8);
        assertEquals("class names were given, but the network's loss is mse and its output layer applies identity, so its"
                + " outputs are values (a regression), not classes; save the model without them (a classifier has a"
                + " classification loss, or a sigmoid or softmax output layer)", assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(regression).withClassNames(List.of("a", "b"))).getMessage());

        ModelBytes file = ModelBytes.parse(ModelFile.toBytes(named));
        byte[] two = file.withTree(t -> t.putArray("class_names").add("a").add("b"));
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(two, "m.bpnn", TestNets.SCALAR,
                ModelFile.Limits.DEFAULT)).getMessage().contains("class_names"));
        ModelBytes reg = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(regression)));
        byte[] regNamed = reg.withTree(t -> t.putArray("class_names").add("a").add("b"));
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(regNamed, "m.bpnn", TestNets.SCALAR,
                ModelFile.Limits.DEFAULT)).getMessage().contains("so its outputs are values (a regression), not classes"));
    }

    /**
     * A sigmoid or softmax output trained with mse (as ./bpnn seed's output layer is) outputs classes
     * (Network.outputsClasses: predictClasses and a threshold take it), so its model takes class names
     * too, where made and where read; the loss alone refused them. Its outputs are named once: class
     * names beside target names (which its regression loss still takes) are refused both ways.
     */
    @Test
    void aSigmoidOrSoftmaxOutputTrainedWithMseTakesClassNames() throws IOException {
        Network sigmoid = TestNets.net(3, Activation.tanh(), 1, Activation.sigmoid(), Loss.mse(), 8);
        Network softmax = TestNets.net(3, Activation.tanh(), 3, Activation.softmax(), Loss.mse(), 8);
        for (Network net : List.of(sigmoid, softmax)) {
            List<String> names = net.outputSize() == 1 ? List.of("no", "yes") : List.of("a", "b", "c");
            SavedModel named = SavedModel.of(net).withClassNames(names);
            assertEquals(names, named.classNames());
            SavedModel back = ModelFile.fromBytes(ModelFile.toBytes(named), "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
            assertEquals(names, back.classNames());

            List<String> targets = net.outputSize() == 1 ? List.of("y") : List.of("u", "v", "w");
            String both = "class names were given beside target names; the network (loss mse, output layer "
                    + net.layers().get(net.layers().size() - 1).activation().name() + ") outputs classes, which its class names name, so save the"
                    + " model with one or the other: class names for its classes (predict's class_name), or target names"
                    + " for its outputs as values";
            assertEquals(both, assertThrows(IllegalArgumentException.class,
                    () -> named.withTargetNames(targets)).getMessage());
            SavedModel withTargets = SavedModel.of(net).withTargetNames(targets); // a regression loss takes them, as before
            assertEquals(both, assertThrows(IllegalArgumentException.class,
                    () -> withTargets.withClassNames(names)).getMessage());
            byte[] bothInFile = ModelBytes.parse(ModelFile.toBytes(withTargets)).withTree(t -> {
                var a = t.putArray("class_names");
                names.forEach(a::add);
            });
            String read = assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(bothInFile, "m.bpnn",
                    TestNets.SCALAR, ModelFile.Limits.DEFAULT)).getMessage();
            assertTrue(read.contains("class_names") && read.contains(both), read);
        }
    }

    /**
     * Target names (a regression CSV's target columns, csv.targetNames()) round-trip with a regression
     * model, beside feature names and a target normaliser, and are checked where made and where read
     * under the feature names' rules: one per output, none null, empty, padded, quoted or twice. A
     * classifier refuses them (its class names name its outputs). A regression model saved without
     * them writes the header it wrote before and loads with none.
     */
    @Test
    void targetNamesRoundTripAndAreChecked() throws IOException {
        Network net = TestNets.net(3, Activation.tanh(), 2, Activation.identity(), Loss.huber(1), 8);
        Normaliser y = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {100, 5}, new float[] {20, 2});
        SavedModel named = SavedModel.of(net, null, y, Map.of()).withTargetNames(List.of("price", "days on market"))
                .withFeatureNames(List.of("a", "b", "c"));
        SavedModel back = ModelFile.fromBytes(ModelFile.toBytes(named), "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertEquals(List.of("price", "days on market"), back.targetNames());
        assertEquals(List.of("a", "b", "c"), back.featureNames(), "withTargetNames then withFeatureNames keeps both");
        assertEquals(Normaliser.Kind.STANDARDISE, back.targetNormaliser().kind());
        assertTrue(ModelBytes.parse(ModelFile.toBytes(named)).headerText().contains("\"target_names\""));

        // a file written without the field (every file before it, and every unnamed model now) loads as before
        byte[] unnamed = ModelFile.toBytes(SavedModel.of(net, null, y, Map.of()));
        assertTrue(!ModelBytes.parse(unnamed).headerText().contains("target_names"),
                "a model without target names writes the header it wrote before");
        SavedModel old = ModelFile.fromBytes(unnamed, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertEquals(null, old.targetNames());
        assertArrayEquals(bits(named.predict(1f, 2f, 3f)), bits(old.predict(1f, 2f, 3f)));

        assertEquals("1 target name was given, but the network has 2 outputs; give one name per output, in the order of"
                + " the training data's target columns (e.g. csv.targetNames())", assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(net).withTargetNames(List.of("price"))).getMessage());
        assertEquals("target name 1 is null; every output needs a name (a CSV target column's header)",
                assertThrows(IllegalArgumentException.class,
                        () -> SavedModel.of(net).withTargetNames(java.util.Arrays.asList("price", null))).getMessage());
        assertEquals("target name 0 is empty; every output needs a name (a CSV target column's header)",
                assertThrows(IllegalArgumentException.class,
                        () -> SavedModel.of(net).withTargetNames(List.of(" ", "rent"))).getMessage());
        assertEquals("target name 1 \"rent \" has surrounding whitespace; CSV header names are read trimmed: pass \"rent\"",
                assertThrows(IllegalArgumentException.class,
                        () -> SavedModel.of(net).withTargetNames(List.of("price", "rent "))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(net).withTargetNames(List.of("price", "\"rent\""))).getMessage()
                .startsWith("target name 1 \"rent\" kept its quotes"));
        assertEquals("target name \"price\" is given for outputs 0 and 1; each output needs its own name (predict heads"
                + " a column with each)", assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(net).withTargetNames(List.of("price", "price"))).getMessage());
        assertEquals("names is null; pass one name per output, e.g. csv.targetNames()",
                assertThrows(IllegalArgumentException.class, () -> SavedModel.of(net).withTargetNames(null)).getMessage());
        Network classifier = TestNets.net(3, Activation.tanh(), 2, Activation.softmax(), Loss.categoricalCrossEntropy(), 8);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SavedModel.of(classifier).withTargetNames(List.of("cat", "dog"))).getMessage()
                .startsWith("target names were given, but the network's loss (categorical_cross_entropy) is a classification"
                        + " loss, whose outputs are classes; name them with withClassNames"));

        ModelBytes file = ModelBytes.parse(ModelFile.toBytes(named));
        for (String[] bad : new String[][] {{"price"}, {"price", "price"}, {"price", ""}, {"price", " rent"}}) {
            byte[] bytes = file.withTree(t -> {
                com.fasterxml.jackson.databind.node.ArrayNode a = t.putArray("target_names");
                for (String n : bad) a.add(n);
            });
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> ModelFile.fromBytes(bytes, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
            assertTrue(e.getMessage().contains("target_names"), e.getMessage());
        }
        ModelBytes cls = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(classifier)));
        byte[] clsNamed = cls.withTree(t -> t.putArray("target_names").add("cat").add("dog"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(clsNamed, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("target_names") && e.getMessage().contains("classification loss"), e.getMessage());
    }

    @Test
    void everyBuiltInInitializerIsPreservedEvenWhereItIsNotTheActivationsDefault() throws IOException {
        // A layer without a recognised initializer gets the default for its activation (he_normal for relu,
        // xavier_uniform otherwise), so each built-in one is tried on both kinds: a name read back as the
        // default would go unnoticed on one of them, and the file saved again would name another initializer.
        for (Initializer init : List.of(Initializer.xavierUniform(), Initializer.xavierNormal(), Initializer.heUniform(),
                Initializer.heNormal(), Initializer.zeros())) {
            Network net = Network.builder(3).dense(4, Activation.relu(), init).dense(2, Activation.tanh(), init)
                    .loss(Loss.mse()).backend(TestNets.SCALAR).build();
            Network back = roundTrip(net);
            assertSame(init, ((Dense) back.layers().get(0)).initializer(), init + " on a relu layer");
            assertSame(init, ((Dense) back.layers().get(1)).initializer(), init + " on a tanh layer");
        }
    }

    @Test
    void aLoneSurrogateInTheLibraryVersionOrBackendNameIsRefusedLikeOneInTheSummary() {
        // both are written to the header as UTF-8 like the summary's strings, where half a character reads back as '?'
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> new ModelMetadata("0.1\uD83D", Instant.EPOCH, "scalar", 1, null));
        assertTrue(version.getMessage().startsWith("the library version has a lone UTF-16 surrogate (U+D83D) at index 3,"),
                version.getMessage());
        IllegalArgumentException backend = assertThrows(IllegalArgumentException.class,
                () -> new ModelMetadata("0.1", Instant.EPOCH, "sc\uDE00alar", 1, null));
        assertTrue(backend.getMessage().startsWith("the backend name has a lone UTF-16 surrogate (U+DE00) at index 2,"),
                backend.getMessage());
        // a whole pair is a character like any other
        assertEquals("sc\uD83D\uDE00", new ModelMetadata("0.1", Instant.EPOCH, "sc\uD83D\uDE00", 1, null).backend());
    }

    @Test
    void summaryValuesOfOtherNumberTypesAreWidenedAndOtherTypesRefused() throws IOException {
        // ModelMetadata documents Integer, Short and Byte as Long and Float as Double: what a load gives back
        Network net = TestNets.small();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("epochs", (short) 3);
        training.put("patience", (byte) 2);
        training.put("acc", 0.5f);
        Map<String, Object> back = ModelFile.fromBytes(ModelFile.toBytes(new SavedModel(net, null, ModelMetadata.of(net, training))),
                "m", TestNets.SCALAR, ModelFile.Limits.DEFAULT).metadata().training();
        assertEquals(Map.of("epochs", 3L, "patience", 2L, "acc", 0.5), back);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.of(net, Map.of("acc", Float.NaN)));
        assertEquals("training summary 'acc' is NaN; only finite numbers can be saved", nan.getMessage());
        IllegalArgumentException list = assertThrows(IllegalArgumentException.class,
                () -> ModelMetadata.of(net, Map.of("losses", List.of(1.0, 0.5))));
        assertTrue(list.getMessage().startsWith("training summary 'losses' has a value of type java.util."), list.getMessage());
        assertTrue(list.getMessage().endsWith("; expected String, Boolean, Long/Integer or Double/Float"), list.getMessage());
    }

    @Test
    void aTrainingSummaryOfExactlyMaxTrainingEntriesSavesAndLoadsAndOneMoreIsRefused() throws IOException {
        Network net = TestNets.small();
        Map<String, Object> full = new LinkedHashMap<>();
        for (int i = 0; i < ModelMetadata.MAX_TRAINING_ENTRIES; i++) {
            full.put("k" + i, i);
        }
        byte[] bytes = ModelFile.toBytes(new SavedModel(net, null, ModelMetadata.of(net, full)));
        SavedModel back = ModelFile.fromBytes(bytes, "m", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertEquals(ModelMetadata.MAX_TRAINING_ENTRIES, back.metadata().training().size());
        assertEquals(1023L, back.metadata().training().get("k1023"));
        full.put("one_more", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelMetadata.of(net, full));
        assertEquals("training summary has 1025 entries, more than 1024", e.getMessage());
    }

    @Test
    void aHeaderOfExactlyTheDefaultMaxHeaderBytesSavesAndLoadsAndOneByteMoreIsRefused() throws IOException {
        // The writer refuses what a default load would refuse, and nothing more: the two limits meet at the same byte.
        Network net = TestNets.small();
        int max = ModelFile.Limits.DEFAULT.maxHeaderBytes();
        Map<String, Object> training = new LinkedHashMap<>();
        for (int i = 0; i < 17; i++) {
            training.put("notes" + i, "x".repeat(60_000)); // each under the 64 KiB string limit, together near 1 MiB
        }
        training.put("pad", "");
        int without = ModelBytes.parse(ModelFile.toBytes(new SavedModel(net, null, ModelMetadata.of(net, training)))).header.length;
        assertTrue(without < max && max - without < 65_536, "test set-up: header of " + without + " bytes");
        training.put("pad", "x".repeat(max - without)); // ASCII: one byte per character
        byte[] exact = ModelFile.toBytes(new SavedModel(net, null, ModelMetadata.of(net, training)));
        assertEquals(max, ModelBytes.parse(exact).header.length);
        SavedModel back = ModelFile.fromBytes(exact, "m", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
        assertEquals(max - without, ((String) back.metadata().training().get("pad")).length());
        training.put("pad", "x".repeat(max - without + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.toBytes(new SavedModel(net, null, ModelMetadata.of(net, training))));
        assertTrue(e.getMessage().startsWith("the header would be " + (max + 1) + " bytes, more than the " + max),
                e.getMessage());
    }
}

package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.NamedPipes;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of bad input: each must end in a ModelFormatException that says where. */
class MalformedModelTest {
    @TempDir
    Path dir;

    /** layers[0] dense 4->6 tanh, layers[1] dropout, layers[2] dense 6->3 softmax; standardising normaliser. */
    private byte[] valid;
    private ModelBytes parts;

    @BeforeEach
    void makeValidFile() throws IOException {
        Network net = Network.builder(4).dense(6, Activation.tanh()).dropout(0.25).dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy()).seed(3).backend(TestNets.SCALAR).build();
        Normaliser norm = Normaliser.standardise(TestNets.inputs(20, 4, 5));
        valid = ModelFile.toBytes(SavedModel.of(net, norm, Map.of("epochs", 1)));
        parts = ModelBytes.parse(valid);
        load(valid); // the base file itself is fine
    }

    private SavedModel load(byte[] bytes) throws IOException {
        Path f = dir.resolve("m.bpnn");
        Files.write(f, bytes);
        return ModelFile.load(f, TestNets.SCALAR);
    }

    /** Loads bytes from a file, expecting a ModelFormatException whose message names the file and each fragment. */
    private ModelFormatException fails(byte[] bytes, String location, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(bytes));
        String m = e.getMessage();
        assertTrue(m.startsWith(dir.resolve("m.bpnn") + ": at "), m);
        if (location.endsWith(" ")) {
            assertTrue(e.location().startsWith(location), m); // "byte ": the parser's position, not pinned
        } else {
            assertEquals(location, e.location(), m);
        }
        for (String p : fragments) {
            assertTrue(m.contains(p), () -> "message lacks \"" + p + "\": " + m);
        }
        return e;
    }

    private int dataStart() {
        return 20 + parts.header.length;
    }

    private ObjectNode layer(ObjectNode t, int i) {
        return (ObjectNode) t.get("architecture").get("layers").get(i);
    }

    // ---- preamble and framing --------------------------------------------------------------------

    @Test
    void emptyFile() {
        fails(new byte[0], "byte 0", "the file is empty (0 bytes)"); // the cause and remedy: LoadFailureMessagesTest
    }

    @Test
    void truncatedInThePreamble() {
        fails(Arrays.copyOf(valid, 13), "byte 13", "truncated", "preamble");
    }

    @Test
    void truncatedInTheHeader() {
        fails(Arrays.copyOf(valid, 100), "byte 100", "truncated", "header");
    }

    @Test
    void truncatedInTheData() {
        int cut = valid.length - 7;
        fails(Arrays.copyOf(valid, cut), "byte " + cut, "truncated", "data section needs " + (valid.length - dataStart()));
    }

    @Test
    void wrongMagic() {
        byte[] b = valid.clone();
        b[1] = 'X';
        fails(b, "byte 0", "not a bpnn model file", "89 42 50 4E 0D 0A 1A 0A", "89 58");
    }

    @Test
    void textModeTransferIsCaughtByTheMagic() {
        byte[] b = new byte[valid.length - 1];
        System.arraycopy(valid, 0, b, 0, 4);
        System.arraycopy(valid, 5, b, 4, b.length - 4); // CR LF -> LF
        fails(b, "byte 0", "not a bpnn model file");
    }

    @Test
    void newerVersion() {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        fails(b, "byte 8", "format version 2 is newer", "upgrade bpnn");
    }

    @Test
    void unknownVersion() {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0);
        fails(b, "byte 8", "unknown format version 0");
    }

    @Test
    void hugeHeaderLength() {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(12, -1);
        fails(b, "byte 12", "header length 4294967295", "not written by bpnn");
    }

    /** The file with the preamble's header length set to {@code length} (nothing else changed). */
    private byte[] withHeaderLength(int length) {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(12, length);
        return b;
    }

    @Test
    void aHeaderLongerThanBpnnWritesIsNotBpnnsNotOverALimit() throws IOException {
        // ModelWriter refuses a header over the default maxHeaderBytes, so a longer one was not written by bpnn (or its
        // length is damaged): the refusal said "outside 2..1048576 (ModelFile.Limits.maxHeaderBytes)", a limit to raise
        int over = ModelFile.Limits.DEFAULT.maxHeaderBytes() + 1;
        ModelFormatException e = fails(withHeaderLength(over), "byte 12");
        assertEquals(dir.resolve("m.bpnn") + ": at byte 12: header length 1048577 is more than the 1048576 bytes bpnn writes;"
                + " the file was not written by bpnn, or is damaged", e.getMessage());
        assertEquals(null, e.overLimits(), "no limit to raise");
        fails(withHeaderLength(1), "byte 12", "header length 1 is less than the 2 bytes of the smallest JSON header; the file"
                + " was not written by bpnn, or is damaged");
        // limits tighter than the default can refuse a header bpnn wrote: then the remedy is the caller's limits
        ModelFile.Limits tight = new ModelFile.Limits(64, 1024, 1 << 24, 1L << 28);
        ModelFormatException t = assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(valid, "m", TestNets.SCALAR, tight));
        assertEquals("m: at byte 12: header length " + parts.header.length + " is more than the 64 bytes the limits allow"
                + " (ModelFile.Limits.maxHeaderBytes; bpnn writes up to 1048576); to load it, pass limits with a maxHeaderBytes of"
                + " at least " + parts.header.length, t.getMessage());
    }

    @Test
    void corruptHeaderFailsItsChecksum() {
        byte[] b = valid.clone();
        int i = new String(parts.header, java.nio.charset.StandardCharsets.UTF_8).indexOf("0.25") + 20 + 3;
        b[i] ^= 0x04; // 0.25 -> 0.21: still valid JSON, a silently different model without the CRC
        fails(b, "byte 16", "header checksum mismatch");
    }

    @Test
    void corruptDataFailsItsChecksum() {
        byte[] b = valid.clone();
        b[dataStart() + 17] ^= 0x10;
        fails(b, "byte " + dataStart(), "weight checksum mismatch", parts.tree().get("data").get("sha256").asText());
    }

    @Test
    void trailingGarbage() {
        byte[] b = Arrays.copyOf(valid, valid.length + 3);
        fails(b, "byte " + valid.length, "trailing garbage: 3 unexpected bytes");
    }

    // ---- JSON syntax and constraints -------------------------------------------------------------

    @Test
    void malformedJson() {
        String h = parts.headerText();
        fails(parts.withHeader(h.substring(0, 40) + "}" + h.substring(40)), "byte " + (20 + 40), "malformed JSON header");
    }

    @Test
    void trailingJsonInTheHeader() {
        fails(parts.withHeader(parts.headerText() + " {}"), "byte " + (20 + parts.header.length + 1), "malformed JSON header", "Trailing token");
    }

    @Test
    void headerThatIsNotAnObject() {
        fails(parts.withHeader("[1, 2]"), "byte 20", "must be a JSON object, got array");
    }

    @Test
    void duplicateKeys() {
        String h = parts.headerText();
        fails(parts.withHeader(h.replaceFirst("\\{", "{ \"version\" : 1,")), "byte ", "malformed JSON header",
                "Duplicate field 'version'");
    }

    @Test
    void deepNesting() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        byte[] b = parts.withHeader(parts.headerText().replace("\"training\" : {", "\"training\" : { \"deep\" : " + deep + ","));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(b));
        assertTrue(e.getMessage().contains("malformed JSON header") && e.getMessage().contains("nesting depth"), e.getMessage());
        assertTrue(e.getMessage().contains("" + Json.MAX_NESTING_DEPTH), e.getMessage());
        assertTrue(e.location().startsWith("byte "), e.location());
    }

    @Test
    void overlongString() {
        String big = "x".repeat(Json.MAX_STRING_LENGTH + 1);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(parts.withTree(t ->
                ((ObjectNode) t.get("metadata").get("training")).put("notes", big))));
        assertTrue(e.getMessage().contains("String value length"), e.getMessage());
        assertTrue(e.location().startsWith("byte "), e.location());
    }

    @Test
    void overlongNumber() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(parts.withHeader(
                parts.headerText().replace("\"units\" : 6", "\"units\" : " + "6".repeat(200)))));
        assertTrue(e.getMessage().contains("Number value length"), e.getMessage());
    }

    // ---- structure -------------------------------------------------------------------------------

    @Test
    void wrongFormatName() {
        fails(parts.withTree(t -> t.put("format", "onnx")), "$.format", "expected \"bpnn-model\"");
    }

    @Test
    void versionDisagreesWithThePreamble() {
        fails(parts.withTree(t -> t.put("version", 7)), "$.version", "header says version 7 but the preamble says 1");
    }

    @Test
    void missingField() {
        fails(parts.withTree(t -> ((ObjectNode) t.get("architecture")).remove("loss")), "$.architecture",
                "missing field \"loss\"");
    }

    @Test
    void unknownField() {
        fails(parts.withTree(t -> layer(t, 0).put("class", "com.evil.Gadget")), "$.architecture.layers[0]",
                "unknown field \"class\"");
    }

    @Test
    void wrongType() {
        fails(parts.withTree(t -> layer(t, 0).put("units", "six")), "$.architecture.layers[0].units",
                "expected a whole number, got string");
    }

    @Test
    void fractionalSize() {
        fails(parts.withTree(t -> layer(t, 0).put("units", 6.5)), "$.architecture.layers[0].units",
                "expected a whole number, got 6.5");
    }

    /** Quoted as written, 6.0 not 6: the header's decimals keep their trailing zeros (Json's mapper). */
    @Test
    void wholeLookingDecimalSize() {
        fails(parts.withTree(t -> layer(t, 0).put("units", 6.0)), "$.architecture.layers[0].units",
                "expected a whole number, got 6.0");
    }

    @Test
    void negativeSize() {
        fails(parts.withTree(t -> layer(t, 0).put("units", -6)), "$.architecture.layers[0].units", "negative size -6");
    }

    @Test
    void hugeSize() {
        // wider than any network: no limits load it, so none is named
        ModelFormatException e = fails(parts.withTree(t -> ((ObjectNode) t.get("architecture")).put("input_size", 1L << 40)),
                "$.architecture.input_size", "the network has 1099511627776 inputs, more than any network can have (at most 1073741824 parameters,"
                        + " Network.Builder.MAX_PARAMETERS, each unit at least one); the file was not written by bpnn, or is damaged");
        assertEquals(null, e.overLimits());
        assertFalse(e.getMessage().contains("Limits"), e.getMessage());
    }

    @Test
    void aLayerWiderThanMaxUnitsNamesTheLimitAndWithMaxUnits() throws IOException {
        // a layer of 2^24 + 1 units on 4 inputs (84M floats) is a network bpnn builds and saves under the default floats
        // limit; the refusal was "value 16777217 is out of range 1..16777216 (see ModelFile.Limits)", no field, no call
        int wide = (1 << 24) + 1;
        byte[] file = parts.withTree(t -> layer(t, 0).put("units", wide));
        ModelFormatException e = fails(file, "$.architecture.layers[0].units");
        assertEquals(dir.resolve("m.bpnn") + ": at $.architecture.layers[0].units: the network has 16777217 units in layers[0],"
                + " more than the 16777216 the limits allow (ModelFile.Limits.maxUnits, the default); if you trust the file and"
                + " have the memory, load it with limits that allow them: pass ModelFile.Limits.DEFAULT.withMaxUnits(16777217) as"
                + " the limits of ModelFile.load or CheckpointFile.load (path, backend, limits)", e.getMessage());
        assertEquals(new ModelFormatException.OverLimits(ModelFormatException.Limit.UNITS, wide, "units in layers[0]", 1 << 24,
                true), e.overLimits());
        // the call named gets past the limit (to the tensor list, not edited here, which the limits precede)
        ModelFormatException past = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(file, "m", TestNets.SCALAR, ModelFile.Limits.DEFAULT.withMaxUnits(wide)));
        assertEquals("$.tensors[0].shape", past.location(), past.getMessage());

        // the input too, and with limits of the caller's own the call is on them
        ModelFile.Limits own = ModelFile.Limits.DEFAULT.withMaxUnits(3);
        ModelFormatException in = assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(valid, "m", TestNets.SCALAR,
                own));
        assertEquals("m: at $.architecture.input_size: the network has 4 inputs, more than the 3 the limits allow"
                + " (ModelFile.Limits.maxUnits); if you trust the file and have the memory, load it with limits that allow"
                + " them: pass limits.withMaxUnits(4) as the limits of ModelFile.load or CheckpointFile.load (path, backend,"
                + " limits)", in.getMessage());
        assertEquals(new ModelFormatException.OverLimits(ModelFormatException.Limit.UNITS, 4, "inputs", 3, false), in.overLimits());
    }

    @Test
    void aNormaliserWiderThanMaxUnitsIsAMismatchNotALimit() {
        // the network's inputs are within maxUnits, so a wider normaliser cannot match them: that is the problem to name
        fails(parts.withTree(t -> ((ObjectNode) t.get("normaliser")).put("features", (1 << 24) + 1)), "$.normaliser.features",
                "the normaliser has 16777217 features but the network takes 4 inputs");
    }

    /**
     * A tensor shape outside the int range is refused as not bpnn's: no limit admits it, so the refusal
     * does not point at ModelFile.Limits (it ended in "(see ModelFile.Limits)", as every bounded range did).
     */
    @Test
    void aShapeOutsideTheIntRangeIsNotBpnnsNotALimit() {
        ModelFormatException big = fails(parts.withTree(t -> ((ArrayNode) t.get("tensors").get(1).get("shape")).set(1, 3_000_000_000L)),
                "$.tensors[1].shape[1]");
        assertEquals(dir.resolve("m.bpnn") + ": at $.tensors[1].shape[1]: value 3000000000 is out of range 0..2147483647; the file"
                + " was not written by bpnn, or is damaged", big.getMessage());
        assertEquals(null, big.overLimits());
        ModelFormatException negative = fails(parts.withTree(t -> ((ArrayNode) t.get("tensors").get(0).get("shape")).set(0, -6)),
                "$.tensors[0].shape[0]");
        assertEquals(dir.resolve("m.bpnn") + ": at $.tensors[0].shape[0]: negative size -6 is out of range 0..2147483647; the file"
                + " was not written by bpnn, or is damaged", negative.getMessage());
        // beyond a long, the same remedy (it named none)
        ModelFormatException huge = fails(parts.withHeader(parts.headerText().replace("\"units\" : 6", "\"units\" : 99999999999999999999999")),
                "$.architecture.layers[0].units");
        assertEquals(dir.resolve("m.bpnn") + ": at $.architecture.layers[0].units: number 99999999999999999999999 is out of range"
                + " 1..9223372036854775807; the file was not written by bpnn, or is damaged", huge.getMessage());
    }

    @Test
    void hugeSizeBeyondLong() {
        fails(parts.withHeader(parts.headerText().replace("\"units\" : 6", "\"units\" : 99999999999999999999999")),
                "$.architecture.layers[0].units", "out of range");
    }

    @Test
    void tooManyParametersIsRefusedBeforeAllocating() {
        // 16M x 16M would be 2^48 floats; refused from the header alone, before the (tiny) file's length is consulted
        fails(parts.withTree(t -> {
            ((ObjectNode) t.get("architecture")).put("input_size", 1 << 24);
            layer(t, 0).put("units", 1 << 24);
        }), "$.architecture.layers[0].units", "more than " + (1L << 30) + " parameters (Network.Builder.MAX_PARAMETERS, the most a"
                + " network can have) by this layer (16777216 x 16777216)");
        // within what a network can have, over the limits: refused at the layer, with the file's size and the call that loads it
        fails(parts.withTree(t -> {
            ((ObjectNode) t.get("architecture")).put("input_size", 1 << 15);
            ((ObjectNode) t.get("normaliser")).put("features", 1 << 15);
            layer(t, 0).put("units", 1 << 14);
        }), "$.architecture.layers[0].units", "the file holds 537001987 floats (536936451 parameters, 65536 normaliser values,"
                + " 2048 MiB), more than the 268435456 the limits allow (ModelFile.Limits.maxParameters, the default); if you trust"
                + " the file and have the memory, load it with limits that allow them: pass"
                + " ModelFile.Limits.DEFAULT.withMaxParameters(537001987) as the limits of ModelFile.load or CheckpointFile.load");
    }

    @Test
    void sizesThatDisagreeWithTheFileLengthAreRefusedBeforeAllocating() {
        // within the limits, consistent header, but the data would be 4 * 4,000,000 bytes: refused as truncated
        byte[] b = parts.withTree(t -> {
            ((ObjectNode) t.get("architecture")).put("input_size", 4000);
            ((ObjectNode) t.get("normaliser")).put("features", 4000);
            ArrayNode ts = (ArrayNode) t.get("tensors");
            ((ArrayNode) ts.get(0).get("shape")).set(1, 4000);
            ((ArrayNode) ts.get(4).get("shape")).set(1, 4000);
            ((ArrayNode) ts.get(5).get("shape")).set(1, 4000);
            ((ObjectNode) t.get("data")).put("bytes", 4L * (6 * 4000 + 6 + 18 + 3 + 8000));
        });
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(b));
        assertTrue(e.getMessage().contains("truncated: the data section needs"), e.getMessage());
    }

    @Test
    void aTargetNormaliserOfAnotherWidthIsRefused() throws IOException {
        Network net = Network.builder(4).dense(6, Activation.tanh()).dense(2, Activation.identity())
                .loss(Loss.mse()).seed(3).backend(TestNets.SCALAR).build();
        Normaliser yn = Normaliser.standardise(TestNets.inputs(20, 2, 6));
        ModelBytes regression = ModelBytes.parse(ModelFile.toBytes(SavedModel.of(net, null, yn, null)));
        fails(regression.withTree(t -> ((ObjectNode) t.get("target_normaliser")).put("features", 3)),
                "$.target_normaliser.features", "the target normaliser has 3 features but the network has 2 outputs");
        fails(regression.withTree(t -> ((ObjectNode) t.get("target_normaliser")).put("kind", "robust")),
                "$.target_normaliser.kind", "unknown normaliser kind 'robust'");
    }

    @Test
    void tooManyLayers() {
        ModelFile.Limits tight = new ModelFile.Limits(1 << 20, 2, 1 << 24, 1L << 28);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.fromBytes(valid, "m", TestNets.SCALAR, tight));
        assertEquals("m: at $.architecture.layers: the network has 3 layers, more than the 2 the limits allow"
                + " (ModelFile.Limits.maxLayers); if you trust the file, load it with limits that allow them: pass"
                + " limits.withMaxLayers(3) as the limits of ModelFile.load or CheckpointFile.load (path, backend, limits)",
                e.getMessage());
        assertEquals(new ModelFormatException.OverLimits(ModelFormatException.Limit.LAYERS, 3, "layers", 2, false), e.overLimits());
        // no layers at all is malformed, not a limit
        ModelFormatException none = fails(parts.withTree(t -> ((ObjectNode) t.get("architecture")).putArray("layers")),
                "$.architecture.layers", "expected 1..");
        assertEquals(null, none.overLimits());
    }

    @Test
    void aNetworkOfMoreLayersThanTheDefaultIsSavedAndLoadsWithWithMaxLayers() throws IOException {
        // Network.Builder has no layer cap and the writer took 1025 layers (a 330 KB header): the default load refused the
        // file with "expected 1..1024 elements, got 1025" and no call to load it
        Network.Builder b = Network.builder(1);
        for (int i = 0; i < 1025; i++) {
            b.dense(1, Activation.identity());
        }
        byte[] deep = ModelFile.toBytes(SavedModel.of(b.loss(Loss.mse()).backend(TestNets.SCALAR).build()));
        ModelFormatException e = fails(deep, "$.architecture.layers", "the network has 1025 layers, more than the 1024 the limits"
                + " allow (ModelFile.Limits.maxLayers, the default); if you trust the file, load it with limits that allow them:"
                + " pass ModelFile.Limits.DEFAULT.withMaxLayers(1025) as the limits");
        assertEquals(new ModelFormatException.OverLimits(ModelFormatException.Limit.LAYERS, 1025, "layers", 1024, true),
                e.overLimits());
        assertEquals(1025, ModelFile.fromBytes(deep, "m", TestNets.SCALAR, ModelFile.Limits.DEFAULT.withMaxLayers(1025))
                .network().layers().size());
    }

    @Test
    void theWithMethodsAreValidated() {
        ModelFile.Limits d = ModelFile.Limits.DEFAULT;
        assertEquals(new ModelFile.Limits(1 << 20, 7, 1 << 24, 1L << 28), d.withMaxLayers(7));
        assertEquals(new ModelFile.Limits(1 << 20, 1024, 9, 1L << 28), d.withMaxUnits(9));
        assertEquals("maxLayers must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxLayers(0)).getMessage());
        assertEquals("maxUnits must be at least 1, got -1",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxUnits(-1)).getMessage());
        assertEquals("maxParameters must be in 1.." + ModelFile.Limits.MAX_FLOATS + " (Limits.MAX_FLOATS), got 0",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxParameters(0)).getMessage());
        // no network is wider: each unit is at least one of its at most MAX_PARAMETERS parameters
        assertEquals(Network.Builder.MAX_PARAMETERS, ModelFile.Limits.MAX_UNITS);
    }

    @Test
    void theNormalisersFloatsCountTowardsMaxParameters() throws IOException {
        // 40 inputs, one unit (41 parameters) and a normaliser (80 floats) loaded under maxParameters = 50
        Network net = Network.builder(40).dense(1, Activation.identity()).loss(Loss.mse()).backend(TestNets.SCALAR).build();
        float[] scale = new float[40];
        java.util.Arrays.fill(scale, 1f);
        byte[] bytes = ModelFile.toBytes(SavedModel.of(net, org.bpnn.data.Normaliser.of(org.bpnn.data.Normaliser.Kind.STANDARDISE,
                new float[40], scale), java.util.Map.of()));
        ModelFile.Limits limits = new ModelFile.Limits(1 << 20, 10, 100, 50);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.fromBytes(bytes, "m", TestNets.SCALAR, limits));
        assertTrue(e.getMessage().contains("the file holds 121 floats (41 parameters, 80 normaliser values, 0 MiB), more than the 50"
                + " the limits allow (ModelFile.Limits.maxParameters)"), e.getMessage());
        ModelFile.fromBytes(bytes, "m", TestNets.SCALAR, new ModelFile.Limits(1 << 20, 10, 100, 121));
    }

    @Test
    void unknownLayerType() {
        fails(parts.withTree(t -> layer(t, 1).put("type", "conv2d")), "$.architecture.layers[1].type",
                "unknown layer type 'conv2d'", "dense, dropout");
    }

    @Test
    void unknownActivation() {
        fails(parts.withTree(t -> ((ObjectNode) layer(t, 0).get("activation")).put("name", "gelu")),
                "$.architecture.layers[0].activation.name", "unknown activation 'gelu'");
    }

    @Test
    void badActivationParameter() {
        fails(parts.withTree(t -> {
            ObjectNode a = (ObjectNode) layer(t, 0).get("activation");
            a.put("name", "leaky_relu");
            a.put("parameter", 1.5);
        }), "$.architecture.layers[0].activation.parameter", "slope must be in (0, 1)");
    }

    @Test
    void parameterOnAnActivationWithoutOne() {
        fails(parts.withTree(t -> ((ObjectNode) layer(t, 0).get("activation")).put("parameter", 0.5)),
                "$.architecture.layers[0].activation.parameter", "takes no parameter");
    }

    @Test
    void unknownLoss() {
        fails(parts.withTree(t -> ((ObjectNode) t.get("architecture").get("loss")).put("name", "hinge")),
                "$.architecture.loss.name", "unknown loss 'hinge'");
    }

    @Test
    void badDropoutRate() {
        fails(parts.withTree(t -> layer(t, 1).put("rate", 1.0)), "$.architecture.layers[1].rate", "must be in [0, 1)");
    }

    @Test
    void architectureTheBuilderRejects() {
        fails(parts.withTree(t -> ((ObjectNode) layer(t, 0).get("activation")).put("name", "softmax")),
                "$.architecture", "invalid network", "softmax");
    }

    @Test
    void unknownNormaliserKind() {
        fails(parts.withTree(t -> ((ObjectNode) t.get("normaliser")).put("kind", "robust")), "$.normaliser.kind",
                "unknown normaliser kind 'robust'");
    }

    @Test
    void badTimestamp() {
        fails(parts.withTree(t -> ((ObjectNode) t.get("metadata")).put("created", "yesterday")), "$.metadata.created",
                "ISO-8601");
    }

    @Test
    void nonScalarTrainingSummary() {
        fails(parts.withTree(t -> ((ObjectNode) t.get("metadata").get("training")).putArray("history")),
                "$.metadata.training.history", "strings, booleans or numbers");
    }

    // ---- tensors and data ------------------------------------------------------------------------

    @Test
    void shapeMismatch() {
        fails(parts.withTree(t -> ((ArrayNode) t.get("tensors").get(1).get("shape")).set(1, 7)), "$.tensors[1].shape",
                "shape mismatch", "layers[0].bias must be [1, 6]", "got [1, 7]");
    }

    @Test
    void tensorsInTheWrongOrder() {
        fails(parts.withTree(t -> {
            ArrayNode ts = (ArrayNode) t.get("tensors");
            ts.insert(0, ts.remove(1));
        }), "$.tensors[0].name", "expected tensor \"layers[0].weight\", got \"layers[0].bias\"");
    }

    @Test
    void missingTensor() {
        fails(parts.withTree(t -> ((ArrayNode) t.get("tensors")).remove(5)), "$.tensors", "expected 6 tensors", "got 5");
    }

    @Test
    void extraTensors() {
        // the message once read "expected 0..7 elements, got 8": a range, although exactly 6 are needed
        fails(parts.withTree(t -> {
            ArrayNode ts = (ArrayNode) t.get("tensors");
            ts.add(ts.get(5).deepCopy());
            ts.add(ts.get(5).deepCopy());
        }), "$.tensors", "expected 6 tensors for this architecture, got 8");
    }

    @Test
    void byteCountDisagreesWithTheTensors() {
        fails(parts.withTree(t -> ((ObjectNode) t.get("data")).put("bytes", 12)), "$.data.bytes", "the tensors need");
    }

    @Test
    void malformedChecksum() {
        fails(parts.withTree(t -> ((ObjectNode) t.get("data")).put("sha256", "abc")), "$.data.sha256", "64 lower-case hex");
    }

    @Test
    void nanWeight() {
        byte[] b = parts.withData(d -> d.putFloat(4 * 7, Float.NaN)); // layers[0].weight [1, 3]
        fails(b, "byte " + (20 + ModelBytes.parse(b).header.length + 4 * 7), "layers[0].weight element [1, 3] is NaN");
    }

    @Test
    void infiniteWeight() {
        int off = 4 * (24 + 6 + 18 + 1); // layers[2].bias [0, 1]
        byte[] b = parts.withData(d -> d.putFloat(off, Float.NEGATIVE_INFINITY));
        fails(b, "byte " + (20 + ModelBytes.parse(b).header.length + off),
                "layers[2].bias element [0, 1] is -Infinity");
    }

    @Test
    void invalidNormaliserScale() {
        int off = 4 * (24 + 6 + 18 + 3 + 4 + 2); // normaliser.scale [0, 2]
        fails(parts.withData(b -> b.putFloat(off, 0f)), "$.normaliser", "invalid normaliser values", "scale 0.0");
    }

    @Test
    void subnormalNormaliserScale() {
        // (x - center) / 1.4e-45 is Infinity for any |x - center| > 5e-7: Normaliser.of refuses it
        int off = 4 * (24 + 6 + 18 + 3 + 4 + 2); // normaliser.scale [0, 2]
        fails(parts.withData(b -> b.putFloat(off, Float.MIN_VALUE)), "$.normaliser", "feature 2 has scale 1.4E-45",
                "below the smallest normal float", "refit the normaliser");
    }

    // ---- I/O errors are not format errors ----------------------------------------------------------

    @Test
    void missingFileIsAPlainIoException() {
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(dir.resolve("absent.bpnn"), TestNets.SCALAR));
        assertTrue(e instanceof NoSuchFileException, e.toString());
        assertFalse(e instanceof ModelFormatException);
    }

    @Test
    void nullArgumentsOfALoadAreIllegalArguments() throws IOException {
        // each was a NullPointerException ("buf is null" for the bytes)
        Path f = dir.resolve("m.bpnn");
        Files.write(f, valid);
        ModelFile.Limits limits = ModelFile.Limits.DEFAULT;
        assertEquals("bytes is null; pass the content of a model file (e.g. from toBytes)", assertThrows(
                IllegalArgumentException.class, () -> ModelFile.fromBytes(null, "x", TestNets.SCALAR, limits)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelFile.fromBytes(null));
        assertEquals("bytes is null; pass the content of a checkpoint file (e.g. from toBytes)", assertThrows(
                IllegalArgumentException.class, () -> CheckpointFile.fromBytes(null, "x", TestNets.SCALAR, limits)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelFile.load(null)).getMessage().startsWith("path is null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CheckpointFile.load(null)).getMessage().startsWith("path is null"));
        String noBackend = "backend is null; pass the backend to load onto, e.g. Backends.get()";
        assertEquals(noBackend, assertThrows(IllegalArgumentException.class, () -> ModelFile.load(f, null)).getMessage());
        assertEquals(noBackend, assertThrows(IllegalArgumentException.class, () -> CheckpointFile.load(f, null)).getMessage());
        assertEquals(noBackend, assertThrows(IllegalArgumentException.class,
                () -> ModelFile.fromBytes(valid, "x", null, limits)).getMessage());
        String noLimits = "limits is null; pass ModelFile.Limits.DEFAULT or your own Limits";
        assertEquals(noLimits, assertThrows(IllegalArgumentException.class,
                () -> ModelFile.load(f, TestNets.SCALAR, null)).getMessage());
        assertEquals(noLimits, assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.fromBytes(valid, "x", TestNets.SCALAR, null)).getMessage());
    }

    @Test
    void aDirectoryIsNamedAsSuch() {
        // reading a directory fails with a bare "Is a directory", without the path
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(dir, TestNets.SCALAR));
        String named = dir + " is a directory; expected a .bpnn model file; pass a model file in it, such as " + dir.resolve("m.bpnn");
        assertEquals(named, e.getMessage());
        assertFalse(e instanceof ModelFormatException);
        IOException c = assertThrows(IOException.class, () -> CheckpointFile.load(dir, TestNets.SCALAR));
        assertEquals(dir + " is a directory; expected a .ckpt checkpoint file; pass the path of a checkpoint file, not of a"
                + " directory", c.getMessage());
    }

    /**
     * A named pipe (as from {@code --model <(curl ...)}) has no length to check the file against
     * before reading: it was reported as "not a bpnn model file: 0 bytes that do not start with the
     * magic", about a stream that does. It is refused as what it is, saying what to do instead.
     */
    @Test
    void aNamedPipeIsRefusedAsNotARegularFile() throws Exception {
        Path fifo = NamedPipes.makeOrSkip(dir.resolve("model.fifo"));
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, valid);
            } catch (IOException e) {
                // the reader went away: expected
            }
        });
        writer.setDaemon(true); // blocks opening the pipe until a reader comes, which a refusal never is
        writer.start();
        IOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> assertThrows(IOException.class, () -> ModelFile.load(fifo, TestNets.SCALAR)));
        assertFalse(e instanceof ModelFormatException, e.toString());
        assertTrue(e.getMessage().startsWith(fifo + " is not a regular file"), e.getMessage());
        assertTrue(e.getMessage().contains("fromBytes"), e.getMessage());
        IOException c = assertThrows(IOException.class, () -> CheckpointFile.load(fifo, TestNets.SCALAR));
        assertTrue(c.getMessage().startsWith(fifo + " is not a regular file"), c.getMessage());
    }

    // ---- found by mutation testing (PIT) of ModelReader: checks no test exercised ------------------

    /**
     * Every object of the header is checked for unknown fields, not only a layer: a field bpnn does not
     * know (written by a newer version, or a tampered file) is refused where it is, never ignored.
     */
    @Test
    void anUnknownFieldIsRefusedInEveryObjectOfTheHeader() {
        Map<String, java.util.function.Function<ObjectNode, ObjectNode>> objects = new java.util.LinkedHashMap<>();
        objects.put("$", t -> t);
        objects.put("$.architecture", t -> (ObjectNode) t.get("architecture"));
        objects.put("$.architecture.layers[1]", t -> layer(t, 1)); // the dropout layer
        objects.put("$.architecture.layers[0].activation", t -> (ObjectNode) layer(t, 0).get("activation"));
        objects.put("$.architecture.loss", t -> (ObjectNode) t.get("architecture").get("loss"));
        objects.put("$.metadata", t -> (ObjectNode) t.get("metadata"));
        objects.put("$.normaliser", t -> (ObjectNode) t.get("normaliser"));
        objects.put("$.tensors[0]", t -> (ObjectNode) t.get("tensors").get(0));
        objects.put("$.data", t -> (ObjectNode) t.get("data"));
        org.junit.jupiter.api.Assertions.assertAll(objects.entrySet().stream().map(o -> () -> fails(
                parts.withTree(t -> o.getValue().apply(t).put("zz_unknown", 1)), o.getKey(),
                "unknown field \"zz_unknown\"; expected only [")));
    }

    /** The training summary is an object of name/value pairs: an array was read as an empty summary. */
    @Test
    void aTrainingSummaryThatIsNotAnObjectIsRefused() {
        fails(parts.withTree(t -> ((ObjectNode) t.get("metadata")).putArray("training").add(1)), "$.metadata.training",
                "expected an object, got array");
    }

    /*
     * A layer that brings the network to exactly Network.Builder.MAX_PARAMETERS passes the per-layer cap, and
     * one unit more does not: 32767 inputs x 32768 units (+ 32768 biases) is 2^30, so the next layer is the one
     * refused; 32767 x 32769 (+ 32769) is 2^30 + 2^15, refused at the layer itself.
     */
    @Test
    void aLayerThatBringsTheNetworkToExactlyTheParameterCapPasses() {
        fails(parts.withTree(t -> {
            ((ObjectNode) t.get("architecture")).put("input_size", 32767);
            layer(t, 0).put("units", 32768);
        }), "$.architecture.layers[2].units", "more than " + Network.Builder.MAX_PARAMETERS + " parameters", "(32768 x 3)");
    }

    @Test
    void aLayerThatBringsTheNetworkOneUnitOverTheParameterCapIsRefused() {
        fails(parts.withTree(t -> {
            ((ObjectNode) t.get("architecture")).put("input_size", 32767);
            layer(t, 0).put("units", 32769);
        }), "$.architecture.layers[0].units", "more than " + Network.Builder.MAX_PARAMETERS + " parameters", "(32767 x 32769)");
    }

    /**
     * A network the builder refuses (here dropout as the output layer) is refused before its data is
     * allocated or read: with damaged data too, the refusal names the network, not the checksum.
     */
    @Test
    void anInvalidNetworkIsRefusedBeforeItsDataIsRead() {
        // drop layers[2] (dense 6 -> 3: 18 weights and 3 biases, floats 30..50 of the data) and its tensors
        ByteBuffer d = ByteBuffer.allocate(parts.data.length - 4 * 21);
        d.put(parts.data, 0, 4 * 30).put(parts.data, 4 * 51, parts.data.length - 4 * 51);
        ObjectNode t = parts.tree();
        ((ArrayNode) t.get("architecture").get("layers")).remove(2);
        ((ArrayNode) t.get("tensors")).remove(3);
        ((ArrayNode) t.get("tensors")).remove(2);
        ((ObjectNode) t.get("data")).put("bytes", d.capacity()); // its sha256 is the old data's: a mismatch
        byte[] file;
        try {
            file = ModelBytes.assemble(1, ModelBytes.MAPPER.writeValueAsBytes(t), d.array());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        fails(file, "$.architecture", "invalid network: layer 2 is dropout, which cannot be the output layer");
    }
}

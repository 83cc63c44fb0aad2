package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bpnn.data.Normaliser;
import org.bpnn.loss.Loss;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV dialect a model was trained on travels with it: SavedModel.withCsvDialect and the optional
 * csv_dialect field, written only for a dialect other than ',' and '.' (older readers refuse a field
 * they do not know, so a default-dialect model keeps the bytes it had). Before, a model trained on a
 * European export (';' and ',') kept no trace of it, and predict needed the flags again.
 */
class ModelCsvDialectTest {
    private static final Network SIGMOID = TestNets.net(3, Activation.tanh(), 1, Activation.sigmoid(), Loss.binaryCrossEntropy(), 8);

    @TempDir
    Path dir;

    private static SavedModel load(byte[] bytes) throws IOException {
        return ModelFile.fromBytes(bytes, "m.bpnn", TestNets.SCALAR, ModelFile.Limits.DEFAULT);
    }

    private static SavedModel named() {
        Normaliser n = Normaliser.of(Normaliser.Kind.STANDARDISE, new float[] {1, 2, 3}, new float[] {2, 2, 2});
        return SavedModel.of(SIGMOID, n, Map.of("epochs", 3)).withFeatureNames(List.of("a", "b", "c"))
                .withClassNames(List.of("normal", "fraud")).withThreshold(0.25f);
    }

    @Test
    void aDialectRoundTripsThroughAFileWithEverythingElse() throws IOException {
        for (CsvDialect dialect : List.of(new CsvDialect(';', ','), new CsvDialect('\t', '.'), new CsvDialect('|', ','),
                new CsvDialect(',', ','), new CsvDialect(';', '.'))) {
            SavedModel m = named().withCsvDialect(dialect);
            Path file = dir.resolve("m.bpnn");
            ModelFile.save(m, file);
            SavedModel back = ModelFile.load(file, TestNets.SCALAR);
            assertEquals(dialect, back.csvDialect(), dialect.toString());
            assertEquals(List.of("a", "b", "c"), back.featureNames());
            assertEquals(List.of("normal", "fraud"), back.classNames());
            assertEquals(0.25f, back.threshold());
            assertArrayEquals(ModelFile.toBytes(m), ModelFile.toBytes(back), "the same file again");
            // every with... keeps it, as they keep the other optional fields
            assertEquals(dialect, back.withThreshold(0.5f).withClassNames(List.of("n", "f")).withFeatureNames(List.of("x", "y", "z"))
                    .csvDialect());
        }
        assertEquals(new CsvDialect('\t', '.'), load(ModelFile.toBytes(named().withCsvDialect(new CsvDialect('\t', '.'))))
                .csvDialect());
        assertTrue(ModelBytes.parse(ModelFile.toBytes(named().withCsvDialect(new CsvDialect(';', ',')))).headerText()
                .matches("(?s).*\"csv_dialect\" : \\{\\s*\"delimiter\" : \";\",\\s*\"decimal_separator\" : \",\"\\s*}.*"));
    }

    @Test
    void theDefaultDialectWritesNoFieldSoTheFileIsTheOneWrittenBefore() throws IOException {
        SavedModel plain = named();
        byte[] before = ModelFile.toBytes(plain);
        byte[] withDefault = ModelFile.toBytes(plain.withCsvDialect(CsvDialect.DEFAULT));
        assertFalse(ModelBytes.parse(withDefault).headerText().contains("csv_dialect"));
        assertFalse(ModelBytes.parse(withDefault).tree().has("csv_dialect"));
        assertArrayEquals(before, withDefault, "byte for byte the file of a model without a dialect");
        assertNull(plain.withCsvDialect(new CsvDialect(',', '.')).csvDialect(), "the default is kept as none");
        assertNull(plain.withCsvDialect(new CsvDialect(';', ',')).withCsvDialect(CsvDialect.DEFAULT).csvDialect());
        assertNull(load(before).csvDialect(), "a file without the field: the default");
        // written by hand (bpnn does not), the default reads back as none too: one model for one meaning
        assertNull(load(ModelBytes.parse(before).withTree(t -> t.putObject("csv_dialect").put("delimiter", ",")
                .put("decimal_separator", "."))).csvDialect());
        assertTrue(CsvDialect.DEFAULT.isDefault());
        assertFalse(new CsvDialect(',', ',').isDefault());
    }

    @Test
    void aDialectTheReaderCannotTakeIsRefusedSayingWhatToPass() {
        IllegalArgumentException quote = assertThrows(IllegalArgumentException.class, () -> new CsvDialect('"', '.'));
        assertEquals("the CSV delimiter is '\"', the quote character, which cannot separate fields; expected one character other"
                + " than a line break or '\"', such as ',', ';', '|' or a tab; pass the delimiter and decimal separator the CSV"
                + " was read with", quote.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CsvDialect('\n', '.')).getMessage()
                .startsWith("the CSV delimiter is '\\n' (line feed), a line break, which cannot separate fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CsvDialect('\r', ',')).getMessage()
                .startsWith("the CSV delimiter is '\\r' (carriage return), a line break"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CsvDialect('\uD83D', ',')).getMessage()
                .startsWith("the CSV delimiter is U+D83D, half of a character"));
        assertEquals("the CSV decimal separator is ';'; expected '.' or ',' (the ones CsvReader reads); pass the delimiter and"
                + " decimal separator the CSV was read with",
                assertThrows(IllegalArgumentException.class, () -> new CsvDialect(',', ';')).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> named().withCsvDialect(null)).getMessage()
                .startsWith("dialect is null; pass the CSV dialect the model was trained on"));
    }

    private static String refusal(Consumer<ObjectNode> edit) throws IOException {
        byte[] bytes = ModelBytes.parse(ModelFile.toBytes(named().withCsvDialect(new CsvDialect(';', ',')))).withTree(edit);
        return assertThrows(ModelFormatException.class, () -> load(bytes)).getMessage();
    }

    private static ObjectNode dialect(ObjectNode root) {
        return (ObjectNode) root.get("csv_dialect");
    }

    @Test
    void aDamagedDialectInAFileIsRefusedNamingTheFieldAndTheValue() throws IOException {
        assertEquals("m.bpnn: at $.csv_dialect.decimal_separator: the CSV decimal separator is ';'; expected '.' or ','"
                + " (the ones CsvReader reads); the file was not written by bpnn, or is damaged",
                refusal(t -> dialect(t).put("decimal_separator", ";")));
        assertEquals("m.bpnn: at $.csv_dialect.delimiter: the CSV delimiter is '\"', the quote character, which cannot separate"
                + " fields; expected one character other than a line break or '\"', such as ',', ';', '|' or a tab; the file"
                + " was not written by bpnn, or is damaged", refusal(t -> dialect(t).put("delimiter", "\"")));
        assertTrue(refusal(t -> dialect(t).put("delimiter", "\n")).startsWith("m.bpnn: at $.csv_dialect.delimiter: the CSV"
                + " delimiter is '\\n' (line feed), a line break"));
        assertEquals("m.bpnn: at $.csv_dialect.delimiter: the CSV delimiter is \";;\" (2 characters); expected a one-character"
                + " string such as \";\" or \"\\t\" (a tab); the file was not written by bpnn, or is damaged",
                refusal(t -> dialect(t).put("delimiter", ";;")));
        assertTrue(refusal(t -> dialect(t).put("decimal_separator", "")).startsWith("m.bpnn: at $.csv_dialect.decimal_separator:"
                + " the CSV decimal separator is \"\" (0 characters); expected \".\" or \",\""));
        assertTrue(refusal(t -> dialect(t).put("delimiter", 59)).endsWith("at $.csv_dialect.delimiter: expected a string, got number"));
        assertTrue(refusal(t -> dialect(t).remove("decimal_separator")).endsWith("at $.csv_dialect: missing field"
                + " \"decimal_separator\""));
        assertTrue(refusal(t -> dialect(t).put("quote", "'")).contains("at $.csv_dialect: unknown field \"quote\"; expected only"
                + " [decimal_separator, delimiter]"));
        assertTrue(refusal(t -> t.put("csv_dialect", ";")).endsWith("at $.csv_dialect: expected an object, got string"));
    }

    @Test
    void toStringIsHowInspectShowsTheDialect() {
        // ./bpnn inspect prints it after "CSV dialect: "; a tab or another invisible character must be visible there
        assertEquals("delimiter ';', decimal separator ','", new CsvDialect(';', ',').toString());
        assertEquals("delimiter tab, decimal separator '.'", new CsvDialect('\t', '.').toString());
        assertEquals("delimiter U+0001, decimal separator '.'", new CsvDialect('\u0001', '.').toString());
        assertEquals("delimiter U+2003, decimal separator '.'", new CsvDialect('\u2003', '.').toString()); // an em space
        // invisible too, though Character.isWhitespace says no: a no-break space, a zero-width space, a byte-order mark
        assertEquals("delimiter U+00A0, decimal separator '.'", new CsvDialect('\u00A0', '.').toString());
        assertEquals("delimiter U+200B, decimal separator '.'", new CsvDialect('\u200B', '.').toString());
        assertEquals("delimiter U+FEFF, decimal separator '.'", new CsvDialect('\uFEFF', '.').toString());
    }
}

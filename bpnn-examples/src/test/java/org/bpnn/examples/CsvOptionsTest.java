package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The list syntax of --features and --exclude, and the shell quoting of a value a message suggests. */
class CsvOptionsTest {
    @Test
    void aListOfColumnNamesIsReadAsACsvHeaderIs() {
        assertEquals(List.of("id", "city"), CsvOptions.columnNames("--exclude", List.of("id, city")));
        assertEquals(List.of("id", "city, country", "say \"hi\"", "x"),
                CsvOptions.columnNames("--exclude", List.of("id, \"city, country\" ,\"say \"\"hi\"\"\"", "x")));
        assertEquals(List.of("say \"hi\""), CsvOptions.columnNames("--exclude", List.of("say \"hi\""))); // unquoted: as it is
        assertEquals(List.of("a", "", "b"), CsvOptions.columnNames("--exclude", List.of("a,,b"))); // refused later, by name
        // an empty name at either end, as a CSV header reads ",a" and "a," (refused later, by name)
        assertEquals(List.of("", "a"), CsvOptions.columnNames("--exclude", List.of(",a")));
        assertEquals(List.of("a", ""), CsvOptions.columnNames("--exclude", List.of("a,")));
        assertEquals(List.of("a", ""), CsvOptions.columnNames("--exclude", List.of("a, ")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvOptions.columnNames("--features", List.of("\"a")))
                .getMessage().startsWith("--features \"a: the quote at character 1 is not closed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvOptions.columnNames("--features", List.of("\"a\"b,c")))
                .getMessage().startsWith("--features \"a\"b,c: text after the quoted name \"a\" (at character 4)"));
    }

    @Test
    void aListWrittenForTheFlagIsReadBackAsTheSameNames() {
        List<String> names = List.of("id", "city, country", "say \"hi\"", "\"quoted\"", " padded", "it's", ",lead");
        String value = CsvOptions.columnList(names);
        assertEquals("id,\"city, country\",\"say \"\"hi\"\"\",\"\"\"quoted\"\"\",\" padded\",it's,\",lead\"", value);
        assertEquals(names, CsvOptions.columnNames("--exclude", List.of(value)));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aSuggestedValueIsOneShellWordThatPastesAsItIs() throws IOException, InterruptedException {
        assertEquals("id,city", CsvOptions.shellWord("id,city"));
        assertEquals("azAZ09_.,/:@%+=-", CsvOptions.shellWord("azAZ09_.,/:@%+=-"), "each class's first and last character is plain");
        for (String value : List.of("id,\"city, country\"", "it's", "a b", "$HOME", "x;y", "*", "")) {
            // the word as a shell reads it: printf gets one argument, the value itself
            Process p = new ProcessBuilder("bash", "-c", "printf '%s|' " + CsvOptions.shellWord(value)).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor());
            assertEquals(value + "|", out, CsvOptions.shellWord(value));
        }
    }

    /** A header exported as a Markdown-like table, "|x|y|", starts with the separator: still one column to refuse. */
    @Test
    void aOneColumnHeaderIsRefusedWhateverCharacterItStartsWith() {
        IllegalArgumentException e = CsvOptions.oneColumnHeader("a.csv", List.of("|x|y|"), ',');
        assertEquals("a.csv's header is one column, \"|x|y|\", whose names look separated by '|': pass --delimiter '|'",
                e == null ? null : e.getMessage());
        assertEquals(null, CsvOptions.oneColumnHeader("a.csv", List.of("x y"), ','));
    }

    @Command(name = "train")
    static final class TrainLike {
        @Mixin
        CsvOptions.Training csv = new CsvOptions.Training();
    }

    @Command(name = "predict")
    static final class PredictLike {
        @Mixin
        CsvOptions.ModelDefaults csv = new CsvOptions.ModelDefaults();
    }

    /**
     * A CommandLine parsing twice (as an application embedding the commands may) reads the second command
     * line alone: the flags' setters have no initial value picocli could restore, so without their null
     * default the first parse's --delimiter ';' would still be read.
     */
    @Test
    void aSecondParseWithoutTheFlagsReadsTheDefaultsNotTheFirstParsesCharacters() {
        TrainLike train = new TrainLike();
        CommandLine trainLine = new CommandLine(train);
        trainLine.parseArgs("--delimiter", ";", "--decimal-separator", ",");
        assertEquals(';', train.csv.delimiter());
        assertEquals(',', train.csv.decimalSeparator());
        trainLine.parseArgs();
        assertEquals(',', train.csv.delimiter());
        assertEquals('.', train.csv.decimalSeparator());

        PredictLike predict = new PredictLike();
        CommandLine predictLine = new CommandLine(predict);
        predictLine.parseArgs("--delimiter", "tab", "--decimal-separator", ",");
        assertEquals('\t', predict.csv.delimiter());
        predictLine.parseArgs();
        predict.csv.defaultTo(null);
        assertEquals(',', predict.csv.delimiter());
        assertEquals('.', predict.csv.decimalSeparator());
        assertTrue(!predict.csv.fromModel(false) && !predict.csv.fromModel(true));
    }
}

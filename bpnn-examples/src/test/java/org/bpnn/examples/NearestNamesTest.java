package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "did you mean" rules at their edges: one edit from 4 characters, two from 7, none below 4; a word that
 * begins up to 3 names offers them, more offer none. MainTest's typos are all also prefixes of the name meant or
 * well inside the limits, so these edges went untested.
 */
class NearestNamesTest {
    @Test
    void oneEditFromFourCharactersTwoFromSeven() {
        assertEquals(List.of("sine"), NearestNames.typo("sinw", List.of("sine", "xor")), "4 characters, one substitution");
        assertEquals(List.of(), NearestNames.typo("sie", List.of("sine", "xor")), "3 characters: no edit counted");
        assertEquals(List.of(), NearestNames.typo("--lbl", List.of("--label")), "5 characters: two edits are too many");
        assertEquals(List.of("--epochs"), NearestNames.typo("--epoks", List.of("--epochs")), "7 characters: two edits");
        assertEquals(List.of(), NearestNames.typo("--epxks", List.of("--epochs")), "7 characters: three edits are too many");
    }

    @Test
    void aLongerNameIsNotCloseBecauseItEndsLikeTheWord() {
        // the distance counts the whole name: "--batch-size" is not one edit from "--size" because it ends in "-size"
        assertEquals(List.of(), NearestNames.typo("--size", List.of("--batch-size")));
    }

    @Test
    void aWordBeginningAtMostThreeNamesOffersThem() {
        List<String> three = List.of("--batch-size", "--backend", "--balance");
        assertEquals(three, NearestNames.typo("--ba", three));
        assertEquals(List.of(), NearestNames.typo("--ba", List.of("--batch-size", "--backend", "--balance", "--bands")), "four: none");
        assertEquals(List.of("--epochs"), NearestNames.typo("--ep", List.of("--epochs", "--hidden")), "two characters after the dashes");
        assertEquals(List.of(), NearestNames.typo("--e", List.of("--epochs", "--hidden")), "one character after the dashes");
    }
}

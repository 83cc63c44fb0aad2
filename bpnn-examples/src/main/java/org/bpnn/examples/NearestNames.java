package org.bpnn.examples;

import java.util.Comparator;
import java.util.List;

/**
 * The names a mistyped word was likely meant as, for the launcher's "did you mean" hints ({@link #typo}), measured
 * with {@link #editDistance}, the twin of bpnn-core's package-private {@code Trainer.editDistance}. (train's --monitor
 * hint does not use it: it takes the nearest names from Trainer.suggestedMonitors, the library's own rules.)
 */
final class NearestNames {
    private NearestNames() {}

    /**
     * The launcher's rules for a mistyped subcommand or option: the candidates within one edit of {@code word}, two
     * from 7 characters on (none under 4 characters), nearest first and ties in the order given; else, when the word
     * without its leading dashes has 2 characters or more, the candidates it begins if there are at most 3. Case
     * counts (picocli's names are case-sensitive). Never {@code word} itself: after "--" a name is an argument
     * ("./bpnn xor -- --epochs"), and would be offered as its own correction.
     */
    static List<String> typo(String word, List<String> candidates) {
        List<String> others = candidates.stream().distinct().filter(c -> !c.equals(word)).toList();
        List<String> close = others.stream()
                .filter(c -> word.length() >= 4 && editDistance(word, c) <= (word.length() >= 7 ? 2 : 1))
                .sorted(Comparator.comparingInt(c -> editDistance(word, c))).toList();
        if (close.isEmpty() && word.replaceFirst("^-+", "").length() >= 2) {
            close = others.stream().filter(c -> c.startsWith(word)).toList();
            if (close.size() > 3) close = List.of();
        }
        return close;
    }

    /**
     * Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment): the same as
     * bpnn-core's Trainer.editDistance, kept as a copy because that one is package-private and core exports no
     * utility package that a launcher's message alone would justify.
     */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

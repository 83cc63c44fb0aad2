package org.bpnn.examples;

import java.util.List;

/** Subcommands beyond the built-in ones, added as examples land. */
final class Examples {
    private Examples() {}

    static List<Object> extraSubcommands() {
        return List.of();
    }
}

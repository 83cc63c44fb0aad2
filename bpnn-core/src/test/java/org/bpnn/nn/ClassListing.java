package org.bpnn.nn;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The top-level classes of a class path entry, for the guard tests that must find every class of a kind
 * (GradientCheckTest's built-in layers, bpnn-simd's SimdTwinMethodsTest's test classes) without a list
 * kept by hand.
 */
public final class ClassListing {
    private ClassListing() {}

    /**
     * The binary names of the top-level classes (no nested ones, no module-info) in the directory or jar
     * {@code anchor} was loaded from.
     */
    public static List<String> topLevelClasses(Class<?> anchor) throws IOException, URISyntaxException {
        Path where = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> entries = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> files = Files.walk(where)) {
                files.filter(Files::isRegularFile).forEach(p -> entries.add(where.relativize(p).toString().replace('\\', '/')));
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                jar.stream().forEach(e -> entries.add(e.getName()));
            }
        }
        List<String> names = new ArrayList<>();
        for (String e : entries) {
            if (e.endsWith(".class") && !e.contains("$") && !e.endsWith("module-info.class")) {
                names.add(e.substring(0, e.length() - ".class".length()).replace('/', '.'));
            }
        }
        return names;
    }
}

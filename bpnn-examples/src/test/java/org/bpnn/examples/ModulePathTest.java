package org.bpnn.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using bpnn from a modular application": the library jars carry their
 * {@code Automatic-Module-Name}, and the README's {@code module-info.java}, {@code javac} and {@code java}
 * lines (and its alternative: the module-info requiring Jackson's modules), run against those jars (copied under other file names, so no name can come from the file's), find the
 * simd backend through {@code ServiceLoader} on the module path and read and write a model file and a
 * CSV through Jackson.
 *
 * <p>It needs the library classes as packaged jars of this build, which is what the reactor hands
 * this module in {@code mvn verify} (the README's test command); under {@code mvn test} they are
 * {@code target/classes} directories, which have no manifest, and it is skipped saying so.
 */
class ModulePathTest {
    /** The bpnn jars the README's application uses, by module name, each found by one of its classes. */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();
    static {
        LIBRARIES.put("org.bpnn.core", "org.bpnn.nn.Network");
        LIBRARIES.put("org.bpnn.io", "org.bpnn.io.model.ModelFile");
        LIBRARIES.put("org.bpnn.simd", "org.bpnn.simd.SimdBackendProvider");  // runtime scope: by name only
    }

    /** Jackson's four jars, which bpnn-io needs; explicit modules, by one class of each. */
    private static final List<String> JACKSON = List.of(
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonProperty",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.dataformat.csv.CsvMapper");

    /** What the application prints: the chosen backend and the modules its classes came from. */
    private static final String MAIN = String.join("\n",
            "package %s;",
            "",
            "public class %s {",
            "    public static void main(String[] args) throws Exception {",
            "        org.bpnn.backend.Backend backend = org.bpnn.backend.Backends.get();",
            "        org.bpnn.nn.Network net = org.bpnn.nn.Network.builder(2)",
            "                .dense(1, org.bpnn.nn.activation.Activation.sigmoid())",
            "                .loss(org.bpnn.loss.Loss.mse()).seed(1).build();",
            "        byte[] file = org.bpnn.io.model.ModelFile.toBytes(org.bpnn.io.model.SavedModel.of(net));",
            "        float[] p = org.bpnn.io.model.ModelFile.fromBytes(file).predict(1f, 2f);",
            "        int rows = org.bpnn.io.data.CsvReader.builder().build()",
            "                .read(new java.io.StringReader(\"a,b,y\\n1,2,0\\n3,4,1\\n\"), \"inline\").size();",
            "        System.out.println(\"backend \" + backend.name() + \" from \" + backend.getClass().getModule().getName()",
            "                + \", network from \" + org.bpnn.nn.Network.class.getModule().getName()",
            "                + \", model file from \" + org.bpnn.io.model.ModelFile.class.getModule().getName()",
            "                + \", same prediction \" + (p[0] == net.predict(1f, 2f)[0]) + \", csv rows \" + rows);",
            "    }",
            "}",
            "");

    private static final String EXPECTED = "backend simd from org.bpnn.simd, network from org.bpnn.core,"
            + " model file from org.bpnn.io, same prediction true, csv rows 2";

    @TempDir
    Path dir;

    @Test
    void theReadmesModularApplicationRunsOnTheSimdBackend() throws Exception {
        Path repository = readme().getParent();
        Map<String, Path> jars = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : LIBRARIES.entrySet()) {
            jars.put(e.getKey(), locationOf(e.getValue()));
        }
        for (Path p : jars.values()) {
            assumeTrue(Files.isRegularFile(p) && p.startsWith(repository),
                    "the bpnn classes come from " + jars.values() + ", not from this build's jars under "
                            + repository + ": run mvn verify (the README's command), in which the reactor "
                            + "hands this module the packaged jars");
        }

        // every library jar names its module itself, so the name survives renaming the file
        Path mods = Files.createDirectories(dir.resolve("mods"));
        int i = 0;
        for (Map.Entry<String, Path> e : jars.entrySet()) {
            try (JarFile jar = new JarFile(e.getValue().toFile())) {
                assertEquals(e.getKey(), jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"),
                        e.getValue() + "'s manifest Automatic-Module-Name (set by maven-jar-plugin in its pom)");
            }
            Path renamed = mods.resolve("renamed-" + i++ + ".jar");
            Files.copy(e.getValue(), renamed);
            ModuleReference ref = ModuleFinder.of(renamed).findAll().iterator().next();
            assertEquals(e.getKey(), ref.descriptor().name(), renamed + " (a copy of " + e.getValue() + ")");
            assertTrue(ref.descriptor().isAutomatic(), e.getKey() + " is meant to be an automatic module");
        }
        for (String c : JACKSON) {
            Path jar = locationOf(c);
            Files.copy(jar, mods.resolve(jar.getFileName()));
        }

        // the README's module-info.java and java line, the latter's module and class holding MAIN
        List<String> readme = Files.readAllLines(readme());
        int heading = indexOf(readme, l -> l.startsWith("**Using bpnn from a modular application.**"), 0, "the paragraph's heading");
        int from = indexOf(readme, l -> l.equals("```java"), heading, "a java block after the heading");
        int to = indexOf(readme, l -> l.equals("```"), from + 1, "the end of that java block");
        String moduleInfo = String.join("\n", readme.subList(from + 1, to)) + "\n";
        int javacLine = indexOf(readme, l -> l.startsWith("javac --module-path mods "), to, "javac line after the java block");
        int line = indexOf(readme, l -> l.startsWith("java --module-path mods "), javacLine, "the java line after it");
        List<String> command = new ArrayList<>(List.of(readme.get(line).split(" ")));
        assertEquals(List.of("java", "--module-path", "mods", "--add-modules"), command.subList(0, 4), readme.get(line));
        assertEquals(List.of("-m"), command.subList(5, 6), readme.get(line));
        assertEquals(7, command.size(), readme.get(line));
        String target = command.get(6);
        String module = target.substring(0, target.indexOf('/'));
        String mainClass = target.substring(target.indexOf('/') + 1);
        assertTrue(moduleInfo.startsWith("module " + module + " {"), "the java line runs " + module + ", the module-info declares\n" + moduleInfo);

        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("module-info.java"), moduleInfo);
        String pkg = mainClass.substring(0, mainClass.lastIndexOf('.'));
        String simpleName = mainClass.substring(pkg.length() + 1);
        Path mainSource = Files.createDirectories(src.resolve(pkg.replace('.', '/'))).resolve(simpleName + ".java");
        Files.writeString(mainSource, String.format(MAIN, pkg, simpleName));
        // the README's javac line, its relative paths under this test's directory: it puts the
        // application beside the jars in mods, as an exploded module
        List<String> javac = new ArrayList<>();
        for (String arg : readme.get(javacLine).split(" ")) {
            javac.add(arg.equals("mods") || arg.startsWith("mods/") || arg.startsWith("src/") ? dir.resolve(arg).toString() : arg);
        }
        compile(javac.subList(1, javac.size()), readme.get(javacLine));

        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.set(2, mods.toString());
        String output = run(command);
        assertTrue(output.lines().anyMatch(EXPECTED::equals), "expected the line\n" + EXPECTED + "\nfrom " + command + ":\n" + output);

        // the README's reason for naming Jackson: without it, bpnn-io cannot find Jackson's classes
        String jacksonless = String.join(",", List.of(command.get(4).split(",")).stream()
                .filter(m -> !m.startsWith("com.fasterxml.jackson.")).toList());
        assertTrue(!jacksonless.equals(command.get(4)), "the README's --add-modules names Jackson's modules: " + command.get(4));
        command.set(4, jacksonless);
        String without = run(command);
        assertTrue(without.contains("NoClassDefFoundError: com/fasterxml/jackson/"),
                "without Jackson in --add-modules, the README says bpnn-io fails with NoClassDefFoundError; "
                        + command + " printed:\n" + without);

        // the README's alternative: the application requires Jackson's modules itself, and the java
        // line adds only what the README says it keeps
        String text = String.join(" ", readme.subList(line, indexOf(readme, l -> l.startsWith("#"), line, "the next heading")));
        java.util.regex.Matcher requires = java.util.regex.Pattern.compile("`requires\\s+(com\\.fasterxml\\.[\\w.]+);`").matcher(text);
        StringBuilder required = new StringBuilder();
        while (requires.find()) required.append("    requires ").append(requires.group(1)).append(";\n");
        java.util.regex.Matcher keeps = java.util.regex.Pattern.compile("keeps only `--add-modules ([^`]+)`").matcher(text);
        assertTrue(required.length() > 0 && keeps.find(), "README.md: no `requires com.fasterxml...;` alternative after the java line");
        Files.writeString(src.resolve("module-info.java"), moduleInfo.substring(0, moduleInfo.lastIndexOf('}')) + required + "}\n");
        compile(javac.subList(1, javac.size()), readme.get(javacLine) + " with\n" + required);
        command.set(4, keeps.group(1));
        String requiring = run(command);
        assertTrue(requiring.lines().anyMatch(EXPECTED::equals), "expected the line\n" + EXPECTED + "\nfrom " + command
                + " with the module-info requiring\n" + required + ":\n" + requiring);
    }

    private static void compile(List<String> args, String what) {
        ByteArrayOutputStream javacOut = new ByteArrayOutputStream();
        int rc = ToolProvider.findFirst("javac").orElseThrow().run(new PrintWriter(javacOut, true), new PrintWriter(javacOut, true),
                args.toArray(String[]::new));
        assertEquals(0, rc, "the README's " + what + ":\n" + javacOut.toString(StandardCharsets.UTF_8));
    }

    /** The jar (or directory) a class of the test class path was loaded from. */
    private static Path locationOf(String className) throws ClassNotFoundException, URISyntaxException {
        Class<?> c = Class.forName(className, false, ModulePathTest.class.getClassLoader());
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> p, int from, String what) {
        for (int k = from; k < lines.size(); k++) {
            if (p.test(lines.get(k))) return k;
        }
        throw new AssertionError("README.md: no " + what + " after line " + (from + 1));
    }

    /** Runs the command without the environment's backend choice and returns its output and errors. */
    private String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        pb.environment().remove("BPNN_BACKEND");
        pb.environment().remove("BPNN_THREADS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Path log = Files.createTempFile(dir, "java", ".log");
        pb.redirectOutput(log.toFile());
        Process proc = pb.start();
        if (!proc.waitFor(60, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError(command + " did not end within 60 s:\n" + Files.readString(log));
        }
        return Files.readString(log);
    }

    /** The repository's README.md, looked for from the working directory (the module's, under surefire) upwards. */
    private static Path readme() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("bpnn-core"))) {
                return d.resolve("README.md");
            }
        }
        throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
    }
}

package org.bpnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bpnn.nn.ClassListing;
import org.bpnn.nn.NumericalGuardsTest;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;

/**
 * RELIABILITY.md's "both backends" rows rest on each bpnn-simd {@code SimdXTest} running the same test
 * methods as its bpnn-core counterpart. A twin that extends a core test class inherits them, unless it
 * overrides one without a test annotation or disables it; a twin that does not must declare every test
 * method of the core {@code XTest} of its name, so a method added to that core class fails here until the
 * twin gains it. The classes are listed from the two test class directories (or bpnn-core's test jar).
 */
class SimdTwinMethodsTest {

    @Test
    void everySimdTwinRunsEveryTestMethodOfItsCoreCounterpart() throws Exception {
        List<String> core = ClassListing.topLevelClasses(NumericalGuardsTest.class);
        List<String> simd = ClassListing.topLevelClasses(SimdTwinMethodsTest.class);
        assertTrue(core.contains(NumericalGuardsTest.class.getName()), "bpnn-core's test classes were not listed: " + core);
        Map<String, List<Class<?>>> coreBySimpleName = new HashMap<>();
        for (String name : core) {
            Class<?> c = Class.forName(name, false, SimdTwinMethodsTest.class.getClassLoader());
            coreBySimpleName.computeIfAbsent(c.getSimpleName(), k -> new ArrayList<>()).add(c);
        }
        List<String> problems = new ArrayList<>();
        TreeSet<String> checked = new TreeSet<>();
        for (String name : simd) {
            Class<?> twin = Class.forName(name, false, SimdTwinMethodsTest.class.getClassLoader());
            String simple = twin.getSimpleName();
            if (!simple.startsWith("Simd") || !simple.endsWith("Test") || Modifier.isAbstract(twin.getModifiers())) continue;
            // the core classes it must mirror: those it extends, and the one named as it is without "Simd"
            Set<Class<?>> counterparts = new LinkedHashSet<>(); // a superclass may also be the namesake
            for (Class<?> s = twin.getSuperclass(); s != null && s != Object.class; s = s.getSuperclass()) {
                if (core.contains(s.getName())) counterparts.add(s);
            }
            counterparts.addAll(coreBySimpleName.getOrDefault(simple.substring("Simd".length()), List.of()));
            for (Class<?> c : counterparts) {
                checked.add(simple);
                for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                    for (Method m : k.getDeclaredMethods()) {
                        if (!isTest(m)) continue;
                        Method resolved = mostSpecific(twin, m);
                        if (resolved == null) {
                            problems.add(simple + " lacks " + c.getSimpleName() + "#" + m.getName() + ": extend "
                                    + c.getSimpleName() + " or declare the method");
                        } else if (resolved != m && (!isTest(resolved) || resolved.isAnnotationPresent(Disabled.class))) {
                            problems.add(simple + " does not run " + c.getSimpleName() + "#" + m.getName()
                                    + ": it overrides it without a test annotation, or disables it");
                        }
                    }
                }
            }
        }
        // not vacuous: a twin named after the class it extends and one that is not (FusedCostFromPreActivationTest's)
        assertTrue(checked.contains("SimdNumericalGuardsTest") && checked.contains("SimdFusedCostTest"), "checked: " + checked);
        assertEquals(List.of(), problems, "Simd twins missing core test methods (checked " + checked + ")");
    }

    /**
     * The nearest declaration of {@code m}'s name and parameters in {@code twin}'s hierarchy, null when there
     * is none. A twin's own declaration counts even where Java would not call it an override (a package-private
     * core method redeclared from org.bpnn.simd): whether JUnit then runs the core one depends on its version,
     * and a twin has no business declaring a non-test method under a test's name.
     */
    private static Method mostSpecific(Class<?> twin, Method m) {
        for (Class<?> k = twin; k != null && k != Object.class; k = k.getSuperclass()) {
            try {
                return k.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        return null;
    }

    /** Annotated with @Test, @ParameterizedTest, @RepeatedTest, @TestFactory or @TestTemplate (all @Testable). */
    private static boolean isTest(Method m) {
        for (Annotation a : m.getDeclaredAnnotations()) {
            if (a.annotationType().isAnnotationPresent(Testable.class)) return true;
        }
        return false;
    }
}

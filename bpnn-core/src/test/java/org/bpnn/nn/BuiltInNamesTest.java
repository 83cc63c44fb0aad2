package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/**
 * {@link Activation#names()} and {@link Loss#names()} are the lists GradientCheckTest's guard walks to
 * find every built-in: each must hold exactly the names of the interface's built-in factories (found by
 * reflection, so a factory added without its name fails here), once each, every one accepted by
 * {@code of}, and be the list {@code of}'s refusal gives a user; unmodifiable, as documented.
 */
class BuiltInNamesTest {

    @Test
    void activationNamesAreTheFactoriesNames() throws Exception {
        assertEquals(factoryNames(Activation.class, Activation::name), new TreeSet<>(Activation.names()));
        assertEquals(Set.copyOf(Activation.names()).size(), Activation.names().size(), "each name once: " + Activation.names());
        assertThrows(UnsupportedOperationException.class, () -> Activation.names().add("swish"), "unmodifiable");
        for (String name : Activation.names()) {
            assertEquals(name, Activation.of(name, 0.1f).name(), "Activation.of(\"" + name + "\")");
        }
        assertEquals("unknown activation '?'; expected one of " + String.join(", ", Activation.names()),
                assertThrows(IllegalArgumentException.class, () -> Activation.of("?", 0f)).getMessage());
    }

    @Test
    void lossNamesAreTheFactoriesNames() throws Exception {
        assertEquals(factoryNames(Loss.class, Loss::name), new TreeSet<>(Loss.names()));
        assertEquals(Set.copyOf(Loss.names()).size(), Loss.names().size(), "each name once: " + Loss.names());
        assertThrows(UnsupportedOperationException.class, () -> Loss.names().add("hinge"), "unmodifiable");
        for (String name : Loss.names()) assertEquals(name, Loss.of(name, 1).name(), "Loss.of(\"" + name + "\")");
        assertEquals("unknown loss '?'; expected one of " + String.join(", ", Loss.names()),
                assertThrows(IllegalArgumentException.class, () -> Loss.of("?", 1)).getMessage());
    }

    /**
     * The names of what {@code type}'s public static factories return (every one but {@code of}), each called
     * with a valid parameter where it takes one (0.1 for a leaky slope or Huber's delta). A factory declared to
     * return an implementing class ({@code static Softmax softmax()}) is one too.
     */
    private static <T> Set<String> factoryNames(Class<T> type, Function<T, String> name) throws Exception {
        Set<String> names = new TreeSet<>();
        for (Method m : type.getDeclaredMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers()) || !type.isAssignableFrom(m.getReturnType())
                    || m.getName().equals("of")) {
                continue;
            }
            Class<?>[] p = m.getParameterTypes();
            Object[] args = p.length == 0 ? new Object[0]
                    : p.length == 1 && p[0] == float.class ? new Object[] {0.1f}
                    : p.length == 1 && p[0] == double.class ? new Object[] {0.1}
                    : null;
            if (args == null) throw new AssertionError("a factory this test cannot call: " + m + "; give it its arguments here");
            names.add(name.apply(type.cast(m.invoke(null, args))));
        }
        assertTrue(names.size() >= 5, "factories found (not vacuous): " + names);
        return names;
    }
}

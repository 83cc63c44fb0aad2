package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

class ParameterSnapshotTest {

    @Test
    void snapshotRestoreAndReuse() {
        Network net = Network.builder(3).dense(4, Activation.tanh()).dense(2, Activation.identity()).loss(Loss.mse()).build();
        ParameterSnapshot s = ParameterSnapshot.of(net);
        long h = s.hash();
        net.parameters().get(0).value().data()[0] += 1f;
        assertNotEquals(h, ParameterSnapshot.of(net).hash());
        s.restoreTo(net);
        assertEquals(h, ParameterSnapshot.of(net).hash());
        net.parameters().get(1).value().data()[0] = 5f;
        s.copyFrom(net.parameters());
        assertEquals(5f, s.values()[1][0]);
        Network other = Network.builder(3).dense(5, Activation.tanh()).dense(2, Activation.identity()).loss(Loss.mse()).build();
        assertThrows(IllegalArgumentException.class, () -> s.restoreTo(other));
    }

    /**
     * Equal snapshots have equal hash codes (a HashSet or HashMap of snapshots relies on it). equals
     * compares as Float.equals does, every NaN alike; hashCode used the raw bits of {@link
     * ParameterSnapshot#hash()}, so a NaN the arithmetic made (0xFFC00000 on x86) and Float.NaN
     * (0x7FC00000) gave equal snapshots with different hash codes.
     */
    @Test
    void equalSnapshotsHaveEqualHashCodes() {
        float arithmeticNaN = Float.intBitsToFloat(0xFFC00000);
        ParameterSnapshot a = ParameterSnapshot.of(new float[][] {{1f, Float.NaN}, {2f}});
        ParameterSnapshot b = ParameterSnapshot.of(new float[][] {{1f, arithmeticNaN}, {2f}});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(1, new java.util.HashSet<>(java.util.List.of(a, b)).size());
        // hash() stays a hash of every bit, for comparing runs bit for bit
        assertNotEquals(a.hash(), b.hash());
    }

    @Test
    void nullArgumentsAreIllegalArguments() {
        Network net = Network.builder(3).dense(2, Activation.identity()).loss(Loss.mse()).build();
        ParameterSnapshot s = ParameterSnapshot.of(net);
        String m = assertThrows(IllegalArgumentException.class, () -> ParameterSnapshot.of((Network) null)).getMessage();
        assertEquals("network is null; pass the network whose weights to snapshot", m);
        assertThrows(IllegalArgumentException.class, () -> ParameterSnapshot.of((java.util.List<Parameter>) null));
        assertThrows(IllegalArgumentException.class, () -> ParameterSnapshot.of((float[][]) null));
        m = assertThrows(IllegalArgumentException.class, () -> ParameterSnapshot.of(new float[][] {{1f}, null})).getMessage();
        assertEquals("values[1] is null; pass one array of values per parameter, in network order", m);
        assertThrows(IllegalArgumentException.class, () -> s.restoreTo((Network) null));
        assertThrows(IllegalArgumentException.class, () -> s.restoreTo((java.util.List<Parameter>) null));
        assertThrows(IllegalArgumentException.class, () -> s.copyFrom(null));
        // a null parameter in the list was a NullPointerException, as values[i] null was before
        java.util.List<Parameter> withNull = java.util.Arrays.asList(net.parameters().get(0), null);
        m = assertThrows(IllegalArgumentException.class, () -> ParameterSnapshot.of(withNull)).getMessage();
        assertEquals("parameters[1] is null; pass network.parameters()", m);
        m = assertThrows(IllegalArgumentException.class, () -> s.restoreTo(withNull)).getMessage();
        assertEquals("parameters[1] is null; pass network.parameters() of a network of the same architecture", m);
        assertThrows(IllegalArgumentException.class, () -> s.copyFrom(withNull));
    }
}

package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.nn.activation.Activation;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * What checkpoints, model files and custom copies read from the built-in layers: a dropout layer's
 * scale and mask generator state, Dense's and Dropout's copyStructure, and their constructors' size
 * refusals at 0.
 */
class LayerStateAndCopiesTest {
    @Test
    void aLayerOfSizeZeroIsRefused() {
        // (the weights' tensor refuses an empty shape too, but without naming the layer)
        String m = assertThrows(IllegalArgumentException.class,
                () -> new Dense("d", 0, 3, Activation.tanh(), null, new Random(1))).getMessage();
        assertTrue(m.startsWith("d: sizes must be positive, got in=0, out=3"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> new Dense("d", 3, 0, Activation.tanh(), null, new Random(1))).getMessage();
        assertTrue(m.startsWith("d: sizes must be positive, got in=3, out=0"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new Dropout("d", 0, 0.5, 1)).getMessage();
        assertTrue(m.contains("size must be > 0, got 0"), m);
    }

    /** One training forward pass of d on ones: its mask. */
    private static float[] mask(Dropout d) {
        int n = d.inputSize();
        Tensor x = Tensor.zeros(4, n), y = Tensor.zeros(4, n), mask = Tensor.zeros(4, n);
        x.fill(1f);
        d.forward(ScalarBackend.INSTANCE, x, y, mask, true);
        return mask.data().clone();
    }

    @Test
    void theMaskGeneratorStateRestoresTheMasks() {
        Dropout d = new Dropout("drop", 8, 0.45, 7);
        // 1 / (1 - 0.45) in double, then rounded once to float: what a model file stores and every kept unit is
        assertEquals((float) (1.0 / (1.0 - 0.45)), d.scale());
        mask(d);
        long state = d.rngState();
        float[] first = mask(d);
        for (float k : first) assertTrue(k == 0f || k == d.scale(), "mask value " + k);
        assertNotEquals(state, d.rngState(), "drawing a mask moves the state");
        d.setRngState(state);
        assertArrayEquals(first, mask(d), "a checkpoint's state draws the same mask again");
    }

    @Test
    void copyStructureGivesANewLayerLikeThisOne() {
        Dense dense = new Dense("dense2", 3, 4, Activation.tanh(), Initializer.xavierUniform(), new Random(1));
        Dense copy = (Dense) dense.copyStructure(5);
        Dense expected = new Dense("dense2", 3, 4, Activation.tanh(), Initializer.xavierUniform(), new Random(5));
        assertEquals("dense2.W", copy.weight().name());
        assertEquals("dense2.b", copy.bias().name());
        assertEquals(Activation.tanh(), copy.activation());
        assertArrayEquals(expected.weight().value().data(), copy.weight().value().data(), "weights drawn from the seed");
        assertEquals("Dense(3 -> 4, Activation.tanh())", dense.toString()); // Network.toString() prints it for layer(...)

        Dropout drop = new Dropout("dropout3", 4, 0.25, 9);
        Dropout dropCopy = (Dropout) drop.copyStructure(11);
        assertEquals("dropout3", dropCopy.name());
        assertEquals(4, dropCopy.inputSize());
        assertEquals(0.25f, dropCopy.rate());
        assertArrayEquals(mask(new Dropout("dropout3", 4, 0.25, 11)), mask(dropCopy), "its masks from the new seed");
    }
}

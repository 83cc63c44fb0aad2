package org.bpnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** requireFinite, like requireShape beside it, names a null tensor instead of throwing a NullPointerException. */
class TensorRequireFiniteNullTest {
    @Test
    void aNullTensorIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.requireFinite("target", null));
        assertEquals("target is null; expected a tensor of finite values", e.getMessage());
    }
}

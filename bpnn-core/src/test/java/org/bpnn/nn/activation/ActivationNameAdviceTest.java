package org.bpnn.nn.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Activation.of refuses a name from another library (Keras's "linear", PyTorch's "LeakyReLU") with
 * the built-in it means: the refusal listed bpnn's names only, and "linear" is not among them although
 * identity is that function. The names stay refused: a model file spells each activation one way.
 */
class ActivationNameAdviceTest {

    private static final String EXPECTED = "; expected one of identity, sigmoid, tanh, relu, leaky_relu, softmax";

    private static String refusal(String name) {
        return assertThrows(IllegalArgumentException.class, () -> Activation.of(name, 0f)).getMessage();
    }

    @Test
    void anotherLibrarysNameForABuiltInNamesTheBuiltIn() {
        assertEquals("unknown activation 'linear'" + EXPECTED + "; 'linear' is identity here: use \"identity\"",
                refusal("linear"));
        assertEquals("unknown activation 'none'" + EXPECTED + "; 'none' is identity here: use \"identity\"", refusal("none"));
        assertEquals("unknown activation 'leakyrelu'" + EXPECTED + "; 'leakyrelu' is leaky_relu here: use \"leaky_relu\""
                + " (its parameter is the slope, e.g. 0.01)", refusal("leakyrelu"));
        assertEquals("unknown activation 'LeakyReLU'" + EXPECTED + "; 'LeakyReLU' is leaky_relu here: use \"leaky_relu\""
                + " (its parameter is the slope, e.g. 0.01)", refusal("LeakyReLU"));
        assertEquals("unknown activation 'ReLU'" + EXPECTED + "; 'ReLU' is relu here: use \"relu\"", refusal("ReLU"));
        assertEquals("unknown activation 'logistic'" + EXPECTED + "; 'logistic' is sigmoid here: use \"sigmoid\"",
                refusal("logistic"));
    }

    @Test
    void aFunctionThatIsNotBuiltInPointsToCustomActivations() {
        assertEquals("unknown activation 'softplus'" + EXPECTED + "; softplus is not built in: implement Activation (see"
                + " its class comment); model files hold the built-in activations only", refusal("softplus"));
        assertEquals("unknown activation 'gelu'" + EXPECTED + "; gelu is not built in: implement Activation (see its class"
                + " comment); model files hold the built-in activations only", refusal("gelu"));
        // a name nobody uses gets the list alone
        assertEquals("unknown activation 'banana'" + EXPECTED, refusal("banana"));
    }

    @Test
    void theBuiltInNamesAreUnchanged() {
        assertSame(Activation.identity(), Activation.of("identity", 0f));
        assertSame(Activation.relu(), Activation.of("relu", 0f));
        assertEquals(0.01f, Activation.of("leaky_relu", 0.01f).parameter());
    }
}

package org.bpnn.io.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

/**
 * The format's activation and loss names ({@link LayerTags}, written out as the package documentation
 * specifies them) against bpnn-core's built-ins ({@link Activation#names()}, {@link Loss#names()}).
 * ModelWriter and ModelReader check and build through {@code Activation.of} and {@code Loss.of}, so a
 * name the core adds would be written and read without the format saying so, and a file holding it
 * refused by the Python reader and by every older bpnn; a format name the core drops would be
 * documented but unreadable. Either way the two lists differ, and this says what to decide.
 */
class FormatNamesTest {

    @Test
    void theFormatsActivationsAreTheCoresBuiltIns() {
        assertSameNames("activation", LayerTags.ACTIVATIONS, Activation.names(), "LayerTags.ACTIVATIONS",
                "ModelWriter.checkActivation", "_activation");
    }

    @Test
    void theFormatsLossesAreTheCoresBuiltIns() {
        assertSameNames("loss", LayerTags.LOSSES, Loss.names(), "LayerTags.LOSSES", "ModelWriter.checkLoss",
                "predict_probabilities for a logits loss");
    }

    private static void assertSameNames(String what, List<String> format, List<String> core, String list, String check,
                                        String python) {
        List<String> added = new ArrayList<>(core);
        added.removeAll(format);
        assertEquals(List.of(), added, "bpnn-core has built-in " + what + " names the model format does not list: model"
                + " files would hold them unspecified. Either add each to the format (" + list + ", the field list in"
                + " org/bpnn/io/model/package-info.java, tools/bpnn_model.py's " + python + ", with a case in"
                + " PythonReaderTest), or refuse it in " + check + " and ModelReader and let this test leave it out");
        List<String> dropped = new ArrayList<>(format);
        dropped.removeAll(core);
        assertEquals(List.of(), dropped, "the model format lists " + what + " names bpnn-core no longer builds: files"
                + " holding them, which the format documents, would not load; keep them in bpnn-core");
    }
}

package org.bpnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.bpnn.backend.scalar.ScalarBackend;
import org.bpnn.loss.Loss;
import org.bpnn.nn.activation.Activation;
import org.junit.jupiter.api.Test;

class NetworkSummaryTest {

    @Test
    void aSmallNetworksSummaryIsThisTable() {
        Network net = Network.builder(4)
                .dense(8, Activation.relu())
                .dropout(0.5)
                .dense(3, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())
                .backend(ScalarBackend.INSTANCE)
                .build();
        assertEquals(String.join("\n",
                "#  Layer         Output  Activation  Parameters",
                "-  ------------  ------  ----------  ----------",
                "1  Dense              8  relu                40",
                "2  Dropout(0.5)       8  -                    0",
                "3  Dense              3  softmax             27",
                "Input: 4 features",
                "Loss: categorical_cross_entropy",
                "Total parameters: 67",
                "Backend: scalar (1 thread)"), net.summary());
    }

    @Test
    void theMainJobsNetworkHas235146ParametersGroupedByThousands() {
        Network net = Network.builder(784)
                .dense(256, Activation.relu())
                .dense(128, Activation.relu())
                .dense(10, Activation.softmax())
                .loss(Loss.categoricalCrossEntropy())
                .backend(ScalarBackend.INSTANCE)
                .build();
        List<String> lines = net.summary().lines().toList();
        assertEquals("1  Dense     256  relu           200,960", lines.get(2));
        assertEquals("2  Dense     128  relu            32,896", lines.get(3));
        assertEquals("3  Dense      10  softmax          1,290", lines.get(4));
        assertEquals("Input: 784 features", lines.get(5));
        assertEquals("Total parameters: 235,146", lines.get(7));
        assertEquals(235_146, net.parameterCount());
    }

    @Test
    void parametersOfActivationAndLossAreShownAndTheLocaleDoesNotMatter() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY); // groups with '.', which would read as a decimal point
        try {
            Network net = Network.builder(1)
                    .dense(1200, Activation.leakyRelu(0.01f))
                    .dense(1, Activation.identity())
                    .loss(Loss.huber(1.5))
                    .backend(ScalarBackend.INSTANCE)
                    .build();
            String s = net.summary();
            assertTrue(s.contains("1  Dense    1200  leaky_relu(0.01)       2,400\n"), s);
            assertTrue(s.contains("Input: 1 feature\n"), s);
            assertTrue(s.contains("Loss: huber(1.5)\n"), s);
            assertTrue(s.contains("Total parameters: 3,601\n"), s);
        } finally {
            Locale.setDefault(saved);
        }
    }
}

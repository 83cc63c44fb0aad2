package org.bpnn.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bpnn.data.Dataset;
import org.bpnn.loss.Loss;
import org.bpnn.metrics.Metric;
import org.bpnn.nn.Network;
import org.bpnn.nn.activation.Activation;
import org.bpnn.optim.Sgd;
import org.bpnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The progress lines and the history name validation values val_loss and val_rmse, and a user writes
 * that as early stopping's monitor (Keras' monitor="val_loss"): the refusal said only "add it with
 * metrics(...)", of a metric that was already added. It now names the monitor to pass.
 */
class MonitorNameAdviceTest {

    private static String refusal(String monitor) {
        Network net = Network.builder(2).dense(3, Activation.tanh()).dense(1, Activation.identity()).loss(Loss.mse()).seed(1).build();
        Dataset d = new Dataset(Tensor.zeros(4, 2), Tensor.zeros(4, 1));
        Trainer t = Trainer.builder().optimizer(new Sgd(0.1)).epochs(2).metrics(Metric.rmse(), Metric.mae())
                .earlyStopping(EarlyStopping.patience(1).monitor(monitor)).build();
        return assertThrows(IllegalArgumentException.class, () -> t.fit(net, d, d)).getMessage();
    }

    @Test
    void aValPrefixedMetricNameIsPointedToTheBareName() {
        String m = refusal("val_rmse");
        assertTrue(m.startsWith("early stopping monitors 'val_rmse', which is not one of the trainer's metrics [rmse, mae]"), m);
        assertTrue(m.contains("monitor(\"rmse\") reads the validation set's value"), m);
        assertTrue(!m.contains("add it with metrics"), m);
    }

    @Test
    void valLossIsPointedToLoss() {
        String m = refusal("val_loss");
        assertTrue(m.contains("monitor(\"loss\") reads the validation set's value"), m);
    }

    @Test
    void anotherCaseIsPointedToTheMetric() {
        assertTrue(refusal("RMSE").contains("names are case-sensitive: monitor(\"rmse\")"), refusal("RMSE"));
        assertTrue(refusal("val_MAE").contains("case-sensitive and have no val_ prefix: monitor(\"mae\")"), refusal("val_MAE"));
    }

    @Test
    void anUnknownNameStillAsksToAddIt() {
        assertTrue(refusal("r2").endsWith("; add it with metrics(...) or monitor \"loss\""), refusal("r2"));
    }
}

package org.bpnn.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Line charts written as PNG with JFreeChart (headless). Series are named pairs of arrays {x, y}. */
public final class Charts {
    /** Train in blue, validation in orange, in every panel (colour-blind safe). */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd)};

    private Charts() {}

    /** One line chart of the named series, written to {@code png}, 900 x 540 pixels. */
    public static void lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path png)
            throws IOException {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        XYPlot plot = plot(series, yLabel, series.values().iterator().next()[0].length <= 60);
        plot.setDomainAxis(x);
        write(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), png, 540);
    }

    /**
     * Stacked panels sharing an integer x axis, one per map of named series, written to {@code png},
     * 900 x 360 pixels per panel.
     */
    public static void panels(String title, String xLabel, String[] yLabels, List<Map<String, double[][]>> panels, Path png)
            throws IOException {
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeMinimumSize(2); // one epoch: a range around it, not a zero-width axis
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(x);
        combined.setGap(12);
        for (int p = 0; p < panels.size(); p++) {
            combined.add(plot(panels.get(p), yLabels[p], true), 1);
        }
        write(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, true), png, 360 * panels.size());
    }

    /** A plot of the series (non-finite y values are left out), 2-pixel lines in the palette's colours. */
    private static XYPlot plot(Map<String, double[][]> series, String yLabel, boolean shapes) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] xs = e.getValue()[0], ys = e.getValue()[1];
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(ys[i])) s.add(xs[i], ys[i]);
            }
            data.addSeries(s);
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        // A flat series (one epoch, or a constant) would give a zero-width range: ten identical ticks in
        // scientific notation. At least 10% of the values' magnitude keeps the axis readable.
        double magnitude = 0;
        for (double[][] xy : series.values()) {
            for (double v : xy[1]) {
                if (Double.isFinite(v)) magnitude = Math.max(magnitude, Math.abs(v));
            }
        }
        y.setAutoRangeMinimumSize(Math.max(1e-6, 0.1 * magnitude));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, shapes);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        XYPlot plot = new XYPlot(data, null, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static void write(JFreeChart chart, Path png, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        chart.setBackgroundPaint(Color.WHITE);
        Path dir = png.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, height);
    }
}

package org.bpnn.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Line charts written as PNG with JFreeChart (headless). */
public final class Charts {
    /** Train in blue, validation in orange, in every panel (colour-blind safe). */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd)};

    private Charts() {}

    /**
     * Writes a line chart of the named series (each a pair of arrays x, y of equal length) to
     * {@code png}, 900 x 540 pixels.
     */
    public static void lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path png)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            double[] xs = e.getValue()[0], ys = e.getValue()[1];
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(ys[i])) s.add(xs[i], ys[i]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, series.values().iterator().next()[0].length <= 60);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(r);
        Path dir = png.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }

    /**
     * Stacked panels sharing the x axis, one per map of named series (each a pair of arrays x, y),
     * written to {@code png}, 900 x 360 pixels per panel.
     */
    public static void panels(String title, String xLabel, String[] yLabels, List<Map<String, double[][]>> panels, Path png)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(x);
        combined.setGap(12);
        for (int p = 0; p < panels.size(); p++) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (Map.Entry<String, double[][]> e : panels.get(p).entrySet()) {
                XYSeries s = new XYSeries(e.getKey(), false, true);
                double[] xs = e.getValue()[0], ys = e.getValue()[1];
                for (int i = 0; i < xs.length; i++) {
                    if (Double.isFinite(ys[i])) s.add(xs[i], ys[i]);
                }
                data.addSeries(s);
            }
            NumberAxis y = new NumberAxis(yLabels[p]);
            y.setAutoRangeIncludesZero(false);
            XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
            for (int i = 0; i < data.getSeriesCount(); i++) {
                r.setSeriesStroke(i, new BasicStroke(2f));
                r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            }
            XYPlot plot = new XYPlot(data, null, y, r);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
            plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
            combined.add(plot, 1);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path dir = png.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 360 * panels.size());
    }
}

package org.bpnn.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
        for (int i = 0; i < data.getSeriesCount(); i++) r.setSeriesStroke(i, new BasicStroke(2f));
        plot.setRenderer(r);
        Path dir = png.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }
}

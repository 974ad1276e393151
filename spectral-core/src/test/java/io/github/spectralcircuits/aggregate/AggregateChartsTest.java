package io.github.spectralcircuits.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.report.ReportWriter;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.report.charts.RenderedChart;
import io.github.spectralcircuits.report.charts.TrajectoryChart;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.testing.SyntheticReports;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregateChartsTest {
    @TempDir
    Path dir;

    private SpectralAggregate sweep(int checkpoints) {
        SpectralReport base = SyntheticReports.stories260kLike(11, false);
        List<CheckpointSource> sources = new ArrayList<>();
        for (int i = 0; i < checkpoints; i++) {
            String name = "step-" + (1000 * (i + 1));
            // L1H3 grows steadily, L4H0 shrinks, everything else stays
            SpectralReport r = SyntheticReports.withOvScaled(SyntheticReports.withOvScaled(base, 1, 3, 1 + 0.5 * i),
                    4, 0, 1.0 / (1 + 0.1 * i));
            sources.add(CheckpointSource.folder(name, ReportWriter.write(r, dir.resolve(name)), dir.resolve(name)));
        }
        return Aggregation.aggregate(sources, 5);
    }

    @Test
    void theHeatMapIsEachHeadsSpectralNormOverItsFirst() {
        SpectralAggregate a = sweep(4);
        Trajectories t = Trajectories.of(a.checkpoints());
        double[][] ov = AggregateCharts.ratioGrid(t, CircuitType.OV);
        double[][] qk = AggregateCharts.ratioGrid(t, CircuitType.QK);
        int l1h3 = t.heads().indexOf(new Trajectories.Head(1, 3));
        int l4h0 = t.heads().indexOf(new Trajectories.Head(4, 0));
        for (int i = 0; i < 4; i++) {
            assertEquals(Math.log(1 + 0.5 * i) / Math.log(2), ov[l1h3][i], 1e-12);
            assertEquals(-Math.log(1 + 0.1 * i) / Math.log(2), ov[l4h0][i], 1e-12);
            assertEquals(0, ov[0][i], 1e-15);
            assertEquals(0, qk[l1h3][i], 1e-15);
        }
        assertEquals("×2.50", AggregateCharts.ratioLabel(ov[l1h3][3]));
        assertEquals("", AggregateCharts.ratioLabel(ov[l1h3][0]));
        // log2(2.5) = 1.32: the scale reaches the next quarter
        assertEquals(1.5, AggregateCharts.colourLimit(new double[][][] {qk, ov}));
        List<Integer> ranked = a.mostChanged().stream().map(h -> 8 * h.layer() + h.head()).toList();
        assertEquals(List.of(1 * 8 + 3, 4 * 8), ranked);
    }

    @Test
    void writesTheTrajectoriesAndTheHeatMapAsPngs() throws Exception {
        SpectralAggregate a = sweep(4);
        // kept under target/ so a person can look at them
        List<RenderedChart> charts = AggregateCharts.render(a, Path.of("target", "chart-samples", "aggregate"));
        assertEquals(List.of(AggregateCharts.TRAJECTORIES, AggregateCharts.SPECTRAL_NORM_HEAT_MAP),
                charts.stream().map(RenderedChart::fileName).toList());
        BufferedImage lines = ImageIO.read(charts.get(0).file().toFile());
        assertEquals(1200, lines.getWidth());
        assertTrue(lines.getHeight() > 4 * 360, "four rows of panels: " + lines.getHeight());
        BufferedImage heat = ImageIO.read(charts.get(1).file().toFile());
        assertTrue(heat.getWidth() >= 800 && heat.getHeight() >= 40 * 16, heat.getWidth() + " x " + heat.getHeight());
        assertTrue(distinctColours(heat) > 20);
        // the first line's colour is drawn in the trajectory chart (the planted head's line)
        assertTrue(contains(lines, TrajectoryChart.colour(0, 2).getRGB()), "the first head's line is not drawn");
    }

    @Test
    void manyCheckpointsStillDraw() {
        SpectralAggregate a = sweep(18);
        List<RenderedChart> charts = AggregateCharts.render(a, dir.resolve("charts"));
        assertEquals(2, charts.size());
        assertTrue(charts.get(0).caption().contains("step-1000, step-2000") && charts.get(0).caption().contains("…, step-18000"),
                charts.get(0).caption());
    }

    @Test
    void identicalCheckpointsHaveNoTrajectoryChart() {
        SpectralReport base = SyntheticReports.stories260kLike(3, false);
        List<CheckpointSource> sources = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            sources.add(CheckpointSource.folder(name, ReportWriter.write(base, dir.resolve(name)), dir.resolve(name)));
        }
        SpectralAggregate a = Aggregation.aggregate(sources, 5);
        assertTrue(a.mostChanged().isEmpty());
        assertEquals(List.of(AggregateCharts.SPECTRAL_NORM_HEAT_MAP),
                AggregateCharts.render(a, dir.resolve("charts")).stream().map(RenderedChart::fileName).toList());
    }

    private static int distinctColours(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colours.add(img.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static boolean contains(BufferedImage img, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    return true;
                }
            }
        }
        return false;
    }
}

package io.github.spectralcircuits.report.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.testing.SyntheticReports;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartDataTest {
    /** V = 10, d_head = 4, 2 layers x 3 heads. */
    private static final ModelInfo SMALL = new ModelInfo("x", "LlamaForCausalLM", 10, 8, 2, 3, 3, 4, true, "F32", 0.02);

    private static ModelSpectra planted() {
        return new ModelSpectra(List.of(
                SyntheticReports.headWithRealEigenvalues(SMALL, 0, 0, new double[] {4, 3, 2, 1}, new double[] {8, -2, 1, 0}),
                SyntheticReports.headWithRealEigenvalues(SMALL, 1, 2, new double[] {-4, 2, 1, 0.5},
                        new double[] {-6, 3, -1, 0.25})));
    }

    @Test
    void histogramCountsEveryValueOnceWithTheTopEdgeInTheLastBin() {
        Histogram h = Histogram.of(new double[] {0, 0.5, 0.99, 1, 1.5, 2, -0.1, 2.1}, 0, 2, 4);
        assertArrayEquals(new long[] {1, 2, 1, 2}, h.counts());
        assertEquals(2, h.outside());
        assertEquals(6, h.total());
        assertEquals(0.5, h.binWidth(), 0);
    }

    @Test
    void realPartsAreAllCoreEigenvaluesLayerMajorAndZerosAreCountedApart() {
        ModelSpectra s = planted();
        assertArrayEquals(new double[] {8, -2, 1, 0, -6, 3, -1, 0.25}, ChartData.realParts(s, CircuitType.OV));
        assertEquals(2 * (10 - 4), ChartData.structuralZeros(s, CircuitType.QK));
        // each head scaled by its own spectral norm (its largest |lambda| here, singular values = moduli)
        assertArrayEquals(new double[] {1, 0.75, 0.5, 0.25, -1, 0.5, 0.25, 0.125},
                ChartData.realPartsOverSpectralNorm(s, CircuitType.QK), 1e-12);
    }

    @Test
    void fullHistogramHoldsEveryValueAndZoomCountsWhatItLeavesOut() {
        double[] ov = ChartData.realParts(planted(), CircuitType.OV);
        Histogram full = ChartData.fullHistogram(ov, 7);
        assertEquals(ov.length, full.total());
        assertEquals(0, full.outside());
        // 8 at bin 6 (top), -6 at bin 0; the span [-6, 8] padded by half a bin of width 2
        assertEquals(1, full.counts()[0]);
        assertEquals(1, full.counts()[6]);
        // window |x| <= 0.05 * 8 = 0.4: only 0 and 0.25 fall inside
        Histogram zoom = ChartData.zoomHistogram(ov, 0.05, 4);
        assertEquals(2, zoom.total());
        assertEquals(6, zoom.outside());
        assertEquals(-0.4, zoom.lower(), 1e-12);
    }

    @Test
    void logCountsOnlyWhenOneBarDwarfsTheRest() {
        assertTrue(ChartData.needsLogCounts(new Histogram(0, 1, new long[] {2, 500, 3, 1, 0}, 0)));
        assertTrue(!ChartData.needsLogCounts(new Histogram(0, 1, new long[] {20, 40, 30, 10, 0}, 0)));
        assertTrue(!ChartData.needsLogCounts(new Histogram(0, 1, new long[] {0, 7, 0}, 0)));
    }

    @Test
    void heatGridPlacesEachHeadAndLeavesUnanalysedHeadsEmpty() {
        HeatGrid g = ChartData.heatGrid(planted(), CircuitType.OV, "positivity", 2, 3);
        assertEquals(2, g.layers());
        assertEquals(3, g.heads());
        assertEquals((8 - 2 + 1 + 0) / 11.0, g.value(0, 0), 1e-12);
        assertEquals((-6 + 3 - 1 + 0.25) / 10.25, g.value(1, 2), 1e-12);
        assertTrue(Double.isNaN(g.value(0, 1)));
        assertTrue(Double.isNaN(g.value(1, 0)));
    }

    @Test
    void complexPointsAreGroupedByLayer() {
        SpectralReport r = SyntheticReports.stories260kLike(11, false);
        List<ChartData.ComplexPoints> groups = ChartData.complexPointsByLayer(r.trained(), CircuitType.QK);
        assertEquals(5, groups.size());
        for (int l = 0; l < 5; l++) {
            assertEquals(l, groups.get(l).layer());
            assertEquals(8 * 8, groups.get(l).re().length);
        }
        HeadSpectra h = r.trained().heads().get(8);
        assertEquals(h.qk().eigenvalues().im()[0], groups.get(1).im()[0], 0);
    }

    @Test
    void comparisonHistogramsShareBinsAndHoldEveryEigenvalue() {
        SpectralReport r = SyntheticReports.stories260kLike(5, true);
        Histogram[] h = ComparisonChart.histograms(r.trained(), r.control(), CircuitType.OV);
        assertEquals(h[0].lower(), h[1].lower(), 0);
        assertEquals(h[0].bins(), h[1].bins());
        assertEquals(40 * 8, h[0].total());
        assertEquals(40 * 8, h[1].total());
    }

    @Test
    void colourScalesHitTheirEndsAndTheMiddle() {
        ColourScale d = ColourScale.diverging(1);
        assertEquals(new java.awt.Color(0x21, 0x66, 0xAC), d.colour(-1));
        assertEquals(new java.awt.Color(0xF7, 0xF7, 0xF7), d.colour(0));
        assertEquals(new java.awt.Color(0xB2, 0x18, 0x2B), d.colour(5));
        assertEquals(java.awt.Color.WHITE, ColourScale.textOn(new java.awt.Color(0x44, 0x01, 0x54)));
    }
}

package io.github.spectralcircuits.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeavyTailFitsTest {
    static CircuitSpectrum withSingularValues(double[] sv) {
        double[] re = sv.clone();
        return new CircuitSpectrum(512, sv.length, new Eigenvalues(re, new double[sv.length]), sv,
                CircuitStatistics.of(512, new Eigenvalues(re, new double[sv.length]), sv, 1e-3, 1e-6));
    }

    /**
     * Two layers of 8 heads with d_head 16 whose squared singular values are planted: layer 0's OV a power law
     * with alpha 2.5 (128 values pooled), layer 1's a uniform sample. Each layer's fit must be the fit of exactly
     * its heads' sigma^2, and only layer 0's recovers the planted exponent.
     */
    @Test
    void eachLayerIsFittedOnItsHeadsPooledSquaredSingularValues() {
        Random rnd = new Random(11);
        List<HeadSpectra> heads = new ArrayList<>();
        List<Double> layer0Ov = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            for (int h = 0; h < 8; h++) {
                double[] qk = new double[16];
                double[] ov = new double[16];
                for (int i = 0; i < 16; i++) {
                    qk[i] = Math.sqrt(1 + rnd.nextDouble());
                    double square = layer == 0 ? Math.pow(1 - rnd.nextDouble(), -1 / 1.5) : 1 + 9 * rnd.nextDouble();
                    ov[i] = Math.sqrt(square);
                    if (layer == 0) {
                        layer0Ov.add(square);
                    }
                }
                java.util.Arrays.sort(ov);
                reverse(ov);
                java.util.Arrays.sort(qk);
                reverse(qk);
                heads.add(new HeadSpectra(layer, h, h / 2, withSingularValues(qk), withSingularValues(ov)));
            }
        }
        List<LayerTailFit> fits = HeavyTailFits.perLayer(new ModelSpectra(heads), PowerLawFits.DEFAULT_MIN_TAIL);
        assertEquals(4, fits.size());
        LayerTailFit ov0 = fits.get(1);
        assertEquals(List.of(0, CircuitType.OV, 8, 128), List.of(ov0.layer(), ov0.circuit(), ov0.heads(), ov0.n()));
        PowerLawFit direct = PowerLawFits.fit(layer0Ov.stream().mapToDouble(Double::doubleValue).toArray(), 10);
        assertEquals(direct.alpha(), ov0.alpha(), 1e-12 * direct.alpha(), "sigma^2 of the layer's heads, pooled");
        assertEquals(direct.xmin(), ov0.xmin(), 1e-12 * direct.xmin());
        assertEquals(direct.ksDistance(), ov0.ksDistance(), 1e-12);
        assertEquals(2.5, ov0.alpha(), 4 * ov0.alphaStdError(), ov0.toString());
        LayerTailFit ov1 = fits.get(3);
        assertEquals(1, ov1.layer());
        assertTrue(ov1.alpha() > 4, "a bounded sample has no heavy tail: " + ov1);
    }

    @Test
    void aLayerWithTooFewValuesGetsNaN() {
        List<HeadSpectra> heads = List.of(new HeadSpectra(0, 0, 0, withSingularValues(new double[] {3, 2, 1}),
                withSingularValues(new double[] {3, 2, 1})));
        LayerTailFit f = HeavyTailFits.perLayer(new ModelSpectra(heads), 10).get(0);
        assertEquals(0, f.nTail());
        assertEquals(3, f.n());
        assertTrue(Double.isNaN(f.alpha()));
    }

    /** stories260k: 64 pooled values per layer and circuit; its trained layers fit with a smaller alpha than random weights. */
    @Test
    void stories260kHasFitsForTrainedAndControl() {
        SpectralReport r = SpectralAnalysis.run(Path.of("../examples/stories260k"), AnalysisSettings.defaults(), null, null);
        HeavyTailFits fits = r.heavyTailFits();
        assertEquals(10, fits.trained().size());
        assertEquals(10, fits.control().size());
        for (int i = 0; i < 10; i++) {
            LayerTailFit t = fits.trained().get(i);
            LayerTailFit c = fits.control().get(i);
            assertEquals(64, t.n());
            assertTrue(t.nTail() >= PowerLawFits.DEFAULT_MIN_TAIL && Double.isFinite(t.alpha()), t.toString());
            assertTrue(t.alpha() < c.alpha(), "trained " + t + " vs control " + c);
        }
        SpectralReport noControl = SpectralAnalysis.run(Path.of("../examples/stories260k"),
                AnalysisSettings.defaults().withControl(false), null, null);
        assertNull(noControl.heavyTailFits().control());
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

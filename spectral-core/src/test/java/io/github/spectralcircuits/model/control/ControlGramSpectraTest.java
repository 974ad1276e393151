package io.github.spectralcircuits.model.control;

import static io.github.spectralcircuits.model.control.BartlettWishartTest.mean;
import static io.github.spectralcircuits.model.control.BartlettWishartTest.variance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.control.ControlModel.EmbeddingDraw;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/**
 * (b): the control's spectra with a sampled embedding Gram against the same shapes' spectra with the
 * rows generated and multiplied out, through the whole analyzer. Disjoint seeds on the two sides, so
 * the two samples are independent (the same seed would share every layer's weights).
 */
class ControlGramSpectraTest {
    static final int SEEDS = 12;

    @Test
    void tiedSpectraHaveTheSameLaw() {
        compare(shape(true));
    }

    @Test
    void untiedSpectraHaveTheSameLaw() {
        compare(shape(false));
    }

    /** The default form above 2048 tokens (singular values and a frame block) against explicit rows. */
    @Test
    void spectrumFormHasTheSameLawTiedAndUntied() {
        compare(shape(true), EmbeddingDraw.SPECTRUM);
        compare(shape(false), EmbeddingDraw.SPECTRUM);
    }

    /** V > 2048 with a small d: 2 layers x 4 heads, d_head 8. */
    static ModelInfo shape(boolean tied) {
        return new ModelInfo("trained", "LlamaForCausalLM", 4096, 32, 2, 4, 4, 8, tied, "F32", 0.02);
    }

    private static void compare(ModelInfo info) {
        compare(info, EmbeddingDraw.GRAM);
    }

    private static void compare(ModelInfo info, EmbeddingDraw form) {
        Sample rows = new Sample();
        Sample gram = new Sample();
        for (int s = 0; s < SEEDS; s++) {
            rows.add(ControlModel.of(info, 1 + s, EmbeddingDraw.ROWS));
            gram.add(ControlModel.of(info, 1001 + s, form));
        }
        for (CircuitType t : CircuitType.values()) {
            int i = t.ordinal();
            double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(rows.scaledModuli.get(i), gram.scaledModuli.get(i));
            assertTrue(p > 1e-3, t + ": pooled |lambda| / sigma_1, KS p-value " + p);
            closeMeans(t + " effectiveRank", rows.effectiveRank.get(i), gram.effectiveRank.get(i));
            closeMeans(t + " spectralNorm", rows.spectralNorm.get(i), gram.spectralNorm.get(i));
            closeMeans(t + " positivity", rows.positivity.get(i), gram.positivity.get(i));
        }
    }

    /** Means of two independent samples within four standard errors of their difference. */
    private static void closeMeans(String what, double[] a, double[] b) {
        double ma = mean(a);
        double mb = mean(b);
        double se = Math.sqrt(variance(a, ma) / a.length + variance(b, mb) / b.length);
        assertEquals(ma, mb, 4 * se, what);
    }

    /** Per circuit type: pooled |lambda| / sigma_1 of every circuit, and per-circuit statistics. */
    private static final class Sample {
        final List<double[]> scaledModuli = new ArrayList<>(List.of(new double[0], new double[0]));
        final List<double[]> effectiveRank = new ArrayList<>(List.of(new double[0], new double[0]));
        final List<double[]> spectralNorm = new ArrayList<>(List.of(new double[0], new double[0]));
        final List<double[]> positivity = new ArrayList<>(List.of(new double[0], new double[0]));

        void add(ControlModel control) {
            for (HeadSpectra h : new SpectraAnalyzer(AnalysisSettings.defaults(), null).analyze(control).heads()) {
                for (CircuitType t : CircuitType.values()) {
                    CircuitSpectrum c = h.circuit(t);
                    int i = t.ordinal();
                    double[] re = c.eigenvalues().re();
                    double[] im = c.eigenvalues().im();
                    double[] moduli = new double[re.length];
                    for (int k = 0; k < re.length; k++) {
                        moduli[k] = Math.hypot(re[k], im[k]) / c.stats().spectralNorm();
                    }
                    scaledModuli.set(i, concat(scaledModuli.get(i), moduli));
                    effectiveRank.set(i, concat(effectiveRank.get(i), new double[] {c.stats().effectiveRank()}));
                    spectralNorm.set(i, concat(spectralNorm.get(i), new double[] {c.stats().spectralNorm()}));
                    positivity.set(i, concat(positivity.get(i), new double[] {c.stats().positivity()}));
                }
            }
        }

        private static double[] concat(double[] a, double[] b) {
            double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        }
    }
}

package io.github.spectralcircuits.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The random control analysed by the same analyzer as a trained model. */
class ControlSpectraTest {
    /** stories260k's shapes: V = 512, d = 64, 5 layers x 8 heads, 4 KV heads, d_head = 8, tied. */
    static final ModelInfo STORIES = new ModelInfo("stories-shaped", "LlamaForCausalLM", 512, 64, 5, 8, 4, 8, true,
            "F32", 0.02);
    static final AnalysisSettings SETTINGS = AnalysisSettings.defaults();

    static ModelSpectra analyse(ModelInfo info, long seed) {
        return new SpectraAnalyzer(SETTINGS, null).analyze(ControlModel.of(info, seed));
    }

    static ModelInfo withRange(ModelInfo m, double r) {
        return new ModelInfo(m.path(), m.architecture(), m.vocabSize(), m.dModel(), m.nLayers(), m.nHeads(),
                m.nKvHeads(), m.dHead(), m.tiedEmbeddings(), m.dtype(), r);
    }

    static ModelInfo untied(ModelInfo m) {
        return new ModelInfo(m.path(), m.architecture(), m.vocabSize(), m.dModel(), m.nLayers(), m.nHeads(),
                m.nKvHeads(), m.dHead(), false, m.dtype(), m.initializerRange());
    }

    @Test
    void sameSeedGivesBitIdenticalSpectraAnotherSeedDiffers() {
        ModelSpectra a = analyse(STORIES, 42);
        ModelSpectra b = analyse(STORIES, 42);
        ModelSpectra c = analyse(STORIES, 43);
        assertEquals(40, a.heads().size());
        int differing = 0;
        for (int i = 0; i < a.heads().size(); i++) {
            for (CircuitType t : CircuitType.values()) {
                CircuitSpectrum x = a.heads().get(i).circuit(t);
                CircuitSpectrum y = b.heads().get(i).circuit(t);
                assertTrue(Arrays.equals(x.eigenvalues().re(), y.eigenvalues().re()));
                assertTrue(Arrays.equals(x.eigenvalues().im(), y.eigenvalues().im()));
                assertTrue(Arrays.equals(x.singularValues(), y.singularValues()));
                assertEquals(x.stats(), y.stats());
                if (x.stats().spectralNorm() != c.heads().get(i).circuit(t).stats().spectralNorm()) {
                    differing++;
                }
            }
        }
        assertEquals(80, differing);
    }

    /** Each circuit is a product of four N(0, r^2) factors: doubling r multiplies its spectrum by 2^4. */
    @Test
    void doublingTheInitializerRangeMultipliesSpectraBySixteen() {
        for (ModelInfo info : new ModelInfo[] {STORIES, untied(STORIES)}) {
            ModelSpectra a = analyse(info, 7);
            ModelSpectra b = analyse(withRange(info, 0.04), 7);
            for (int i = 0; i < a.heads().size(); i++) {
                for (CircuitType t : CircuitType.values()) {
                    CircuitSpectrum x = a.heads().get(i).circuit(t);
                    CircuitSpectrum y = b.heads().get(i).circuit(t);
                    double scale = x.stats().spectralNorm();
                    for (int k = 0; k < x.singularValues().length; k++) {
                        assertEquals(16 * x.singularValues()[k], y.singularValues()[k], 1e-12 * 16 * scale);
                        assertEquals(16 * x.eigenvalues().re()[k], y.eigenvalues().re()[k], 1e-12 * 16 * scale);
                    }
                    assertEquals(x.stats().positivity(), y.stats().positivity(), 1e-12);
                    assertEquals(x.stats().effectiveRank(), y.stats().effectiveRank(), 1e-12);
                }
            }
        }
    }

    /**
     * Random-matrix expectations. OV's eigenvalues are those of W_O (W_U W_E) W_V with W_U W_E close to
     * V r^2 I: a product of independent Gaussian matrices, whose spectrum is rotation-invariant, so the
     * copying score averages 0. QK's Frobenius norm: with W_E^T W_E close to V r^2 I,
     * E ||QK||_F^2 is close to V^2 r^4 E ||W_Q W_K^T||_F^2 = V^2 d^2 d_head r^8.
     */
    @Test
    void controlStatisticsMatchRandomMatrixExpectations() {
        ModelInfo wide = new ModelInfo("wide", "LlamaForCausalLM", 4096, 32, 4, 8, 8, 8, false, "F32", 0.02);
        ModelSpectra s = analyse(wide, 42);
        double ovPositivity = 0;
        double qkPositivity = 0;
        double frob = 0;
        int extraNearZero = 0;
        for (HeadSpectra h : s.heads()) {
            ovPositivity += h.ov().stats().positivity();
            qkPositivity += h.qk().stats().positivity();
            frob += h.qk().stats().frobeniusNorm() / (4096.0 * 32 * Math.sqrt(8) * Math.pow(0.02, 4));
            assertTrue(Math.abs(h.ov().stats().positivity()) < 0.8);
            assertEquals(8, h.ov().stats().numericalRank());
            // the V - 8 structural zeros are always counted; a core eigenvalue below 1e-3 of the largest is
            // rare for a product of Gaussian matrices (about 0.4% of 8 x 8 OV cores, by simulation)
            assertTrue(h.ov().stats().nearZeroRatio() >= (4096 - 8) / 4096.0);
            if (h.ov().stats().nearZeroRatio() > (4096 - 8) / 4096.0) {
                extraNearZero++;
            }
        }
        assertTrue(extraNearZero <= 2, extraNearZero + " of 32 heads have a near-zero OV core eigenvalue");
        int n = s.heads().size();
        assertEquals(0.0, ovPositivity / n, 0.15);
        assertEquals(0.0, qkPositivity / n, 0.15);
        assertEquals(1.0, frob / n, 0.1);
        assertFalse(Double.isNaN(frob));
    }
}

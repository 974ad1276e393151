package io.github.spectralcircuits.composition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.model.HeadWeights;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * Composition scores against the definition computed densely (TransformerLens's all_composition_scores:
 * |A B|_F / (|A|_F |B|_F) with the d x d matrices W_OV = W_V W_O and W_QK = W_Q W_K^T formed, norms
 * folded into the rows of W_Q, W_K, W_V), on stories260k (grouped-query attention, 5 layers x 8 heads).
 */
class CompositionScoresTest {
    private static final Path MODEL = Path.of("../examples/stories260k");

    @Test
    void factoredScoresEqualTheDenseDefinition() {
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
        try (TransformerModel model = ModelLoader.open(MODEL)) {
            int nl = model.info().nLayers();
            int nh = model.info().nHeads();
            CompositionScores scores = new CompositionScores(nl, nh);
            new SpectraAnalyzer(settings, null).analyze(model, List.of(scores));
            CompositionMatrices m = scores.matrices();
            List<DMatrixRMaj[]> dense = new ArrayList<>(); // per head: {W_OV, W_QK}
            for (int l = 0; l < nl; l++) {
                LayerWeights w = model.layer(l);
                for (int h = 0; h < nh; h++) {
                    dense.add(denseMatrices(w, h));
                }
            }
            double worst = 0;
            int pairs = 0;
            for (int l1 = 0; l1 < nl; l1++) {
                for (int l2 = 0; l2 < nl; l2++) {
                    for (int a = 0; a < nh; a++) {
                        for (int b = 0; b < nh; b++) {
                            for (CompositionMode mode : CompositionMode.values()) {
                                double got = m.score(mode, l1, a, l2, b);
                                if (l1 >= l2) {
                                    assertTrue(Double.isNaN(got), "no score from a layer to itself or an earlier one");
                                    continue;
                                }
                                DMatrixRMaj ov = dense.get(l1 * nh + a)[0];
                                DMatrixRMaj[] later = dense.get(l2 * nh + b);
                                DMatrixRMaj right = switch (mode) {
                                    case Q -> later[1];
                                    case K -> CommonOps_DDRM.transpose(later[1], null);
                                    case V -> later[0];
                                };
                                double expected = score(ov, right);
                                worst = Math.max(worst, Math.abs(got - expected));
                                pairs++;
                            }
                        }
                    }
                }
            }
            assertEquals(3 * 10 * nh * nh, pairs);
            assertTrue(worst < 1e-6, "largest difference " + worst);
            assertTrue(worst < 1e-10, "largest difference " + worst + " (expected: rounding)");
        }
    }

    @Test
    void theRankingListsTheTopPairsOfEachModeWithTheControlAsNull() {
        AnalysisSettings settings = AnalysisSettings.defaults();
        try (TransformerModel model = ModelLoader.open(MODEL)) {
            int nl = model.info().nLayers();
            int nh = model.info().nHeads();
            CompositionScores trained = new CompositionScores(nl, nh);
            new SpectraAnalyzer(settings, null).analyze(model, List.of(trained));
            CompositionScores control = CompositionScores.forControl(nl, nh);
            new SpectraAnalyzer(settings, null).analyze(ControlModel.of(model.info(), 42), List.of(control));
            List<CompositionScore> top = CompositionRanking.rank(trained.matrices(), control.matrices(), 7, h -> true);
            assertEquals(21, top.size());
            for (int i = 0; i < top.size(); i++) {
                CompositionScore s = top.get(i);
                assertEquals(CompositionMode.values()[i / 7], s.mode());
                assertEquals(trained.matrices().score(s.mode(), s.fromLayer(), s.fromHead(), s.toLayer(), s.toHead()),
                        s.score());
                if (i % 7 > 0) {
                    assertTrue(top.get(i - 1).score() >= s.score());
                }
                // the null, recomputed here: the mode's 64 control pairs of the control's first two layers, whatever
                // the trained pair's layers
                double[] nul = CompositionRanking.layerPair(control.matrices(), s.mode(), 0, 1);
                assertEquals(nh * nh, nul.length);
                double mean = java.util.Arrays.stream(nul).average().orElseThrow();
                double var = java.util.Arrays.stream(nul).map(x -> (x - mean) * (x - mean)).sum() / (nul.length - 1);
                assertNotNull(s.z());
                assertEquals((s.score() - mean) / Math.sqrt(var), s.z(), 1e-9);
                long below = java.util.Arrays.stream(nul).filter(x -> x < s.score()).count();
                assertEquals((double) below / nul.length, s.controlQuantile(), 1e-12);
            }
            // the best trained pair of each mode lies above the control's bulk
            assertTrue(top.get(0).z() > 2 && top.get(7).z() > 2 && top.get(14).z() > 2, top.toString());
            List<CompositionScore> alone = CompositionRanking.rank(trained.matrices(), null, 3, h -> h < 2);
            assertEquals(9, alone.size());
            for (CompositionScore s : alone) {
                assertNull(s.z());
                assertTrue(s.fromHead() < 2 && s.toHead() < 2);
            }
        }
    }

    @Test
    void theControlsNullIsASampleOfItsFirstLayerPairWithTheSameScores() {
        // 16 heads: 8 earlier heads x 16 later = 128 pairs of layers 0 -> 1, each equal to the full computation's;
        // no other layer pair is scored
        io.github.spectralcircuits.model.ModelInfo info = new io.github.spectralcircuits.model.ModelInfo(
                "synthetic", "LlamaForCausalLM", 300, 64, 3, 16, 16, 4, true, "F32", 0.02);
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
        TransformerModel control = ControlModel.of(info, 7);
        CompositionScores all = new CompositionScores(3, 16);
        CompositionScores sample = CompositionScores.forControl(3, 16);
        new SpectraAnalyzer(settings, null).analyze(control, List.of(all, sample));
        assertFalse(sample.wants(2));
        for (CompositionMode mode : CompositionMode.values()) {
            assertEquals(CompositionScores.NULL_PAIRS, CompositionRanking.layerPair(sample.matrices(), mode, 0, 1).length);
            assertEquals(0, CompositionRanking.layerPair(sample.matrices(), mode, 0, 2).length);
            assertEquals(0, CompositionRanking.layerPair(sample.matrices(), mode, 1, 2).length);
            for (int a = 0; a < 8; a++) {
                for (int b = 0; b < 16; b++) {
                    assertEquals(all.matrices().score(mode, 0, a, 1, b), sample.matrices().score(mode, 0, a, 1, b), 1e-12);
                }
            }
        }
    }

    /**
     * With spectral.layers selecting layers 1 and 3 of 4, the control's null is their pair (its first two
     * analysed layers), and the ranking takes it for the trained pair 1 -> 3.
     */
    @Test
    void theControlsNullFollowsTheSelectedLayers() {
        io.github.spectralcircuits.model.ModelInfo info = new io.github.spectralcircuits.model.ModelInfo(
                "synthetic", "LlamaForCausalLM", 300, 64, 4, 16, 16, 4, true, "F32", 0.02);
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings settings = new AnalysisSettings(d.foldNorms(), d.nearZeroTolerance(), d.rankTolerance(), false,
                d.controlSeed(), d.highRankFraction(), d.zThreshold(), java.util.Set.of(1, 3), java.util.Set.of(),
                false, d.denseTolerance(), d.readouts());
        CompositionScores all = new CompositionScores(4, 16);
        new SpectraAnalyzer(AnalysisSettings.defaults().withControl(false), null).analyze(ControlModel.of(info, 7), List.of(all));
        CompositionScores trained = new CompositionScores(4, 16);
        new SpectraAnalyzer(settings, null).analyze(ControlModel.of(info, 8), List.of(trained));
        CompositionScores sample = CompositionScores.forControl(4, 16);
        new SpectraAnalyzer(settings, null).analyze(ControlModel.of(info, 7), List.of(sample));
        for (CompositionMode mode : CompositionMode.values()) {
            double[] nul = CompositionRanking.scored(sample.matrices(), mode);
            assertEquals(CompositionScores.NULL_PAIRS, nul.length);
            assertEquals(CompositionScores.NULL_PAIRS, CompositionRanking.layerPair(sample.matrices(), mode, 1, 3).length);
            for (int a = 0; a < 8; a++) {
                for (int b = 0; b < 16; b++) {
                    assertEquals(all.matrices().score(mode, 1, a, 3, b), sample.matrices().score(mode, 1, a, 3, b), 1e-12);
                }
            }
            // the trained model: only the selected pair
            assertEquals(256, CompositionRanking.layerPair(trained.matrices(), mode, 1, 3).length);
            assertEquals(0, CompositionRanking.layerPair(trained.matrices(), mode, 0, 1).length);
        }
        List<CompositionScore> top = CompositionRanking.rank(trained.matrices(), sample.matrices(), 3, h -> true);
        assertEquals(9, top.size());
        for (CompositionScore c : top) {
            double[] nul = CompositionRanking.layerPair(sample.matrices(), c.mode(), 1, 3);
            long below = java.util.Arrays.stream(nul).filter(x -> x < c.score()).count();
            assertEquals(1, c.fromLayer());
            assertEquals(3, c.toLayer());
            assertEquals((double) below / nul.length, c.controlQuantile(), 1e-12);
        }
    }

    /**
     * Why one control layer pair may stand for all: the control's layer pairs have one law. Checked on the full
     * scores of a 4-layer control (256 pairs per layer pair and mode): every pair's mean and standard deviation
     * agree with layers 0 -> 1's within sampling error, and a two-sample Kolmogorov-Smirnov test does not tell
     * them apart. A control drawn with a layer-dependent law (other than a scalar) would fail this.
     */
    @Test
    void everyLayerPairOfTheControlHasTheSameNull() {
        io.github.spectralcircuits.model.ModelInfo info = new io.github.spectralcircuits.model.ModelInfo(
                "synthetic", "GPT2LMHeadModel", 300, 64, 4, 16, 16, 4, true, "F32", 0.02);
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
        CompositionScores all = new CompositionScores(4, 16);
        new SpectraAnalyzer(settings, null).analyze(ControlModel.of(info, 11), List.of(all));
        org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest ks =
                new org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest();
        for (CompositionMode mode : CompositionMode.values()) {
            double[] first = CompositionRanking.layerPair(all.matrices(), mode, 0, 1);
            assertEquals(256, first.length);
            double m0 = java.util.Arrays.stream(first).average().orElseThrow();
            for (int l1 = 0; l1 < 4; l1++) {
                for (int l2 = l1 + 1; l2 < 4; l2++) {
                    double[] other = CompositionRanking.layerPair(all.matrices(), mode, l1, l2);
                    double m = java.util.Arrays.stream(other).average().orElseThrow();
                    double sd = Math.sqrt(java.util.Arrays.stream(other).map(x -> (x - m) * (x - m)).sum() / 255);
                    // the pairs share heads, so the mean's error is nearer sd / sqrt(16) than sd / sqrt(256)
                    assertEquals(m0, m, 3 * sd / 4, mode + " " + l1 + " -> " + l2);
                    assertTrue(m0 > 3 * sd, "scores sit well above 0: " + m0 + " vs sd " + sd);
                    if (l1 > 0) {
                        assertTrue(ks.kolmogorovSmirnovTest(first, other) > 1e-3, mode + " " + l1 + " -> " + l2);
                    }
                }
            }
        }
    }

    @Test
    void quantileCountsTiesHalf() {
        double[] sorted = {0.1, 0.2, 0.2, 0.3};
        assertEquals(0.0, CompositionRanking.quantile(sorted, 0.05));
        assertEquals(0.5, CompositionRanking.quantile(sorted, 0.2));
        assertEquals(1.0, CompositionRanking.quantile(sorted, 0.4));
    }

    @Test
    void settingsDefaults() {
        ReadoutSettings r = AnalysisSettings.defaults().readouts();
        assertTrue(r.composition());
        assertEquals(100, r.compositionTop());
        assertEquals(10, r.topTokens());
    }

    /** {W_V W_O, W_Q W_K^T} of one head, d x d, the pre-attention gain folded into W_Q, W_K, W_V's rows. */
    private static DMatrixRMaj[] denseMatrices(LayerWeights layer, int h) {
        HeadWeights w = layer.head(h);
        double[] g = layer.attnNormGain();
        DMatrixRMaj q = scaled(w.wQ(), g);
        DMatrixRMaj k = scaled(w.wK(), g);
        DMatrixRMaj v = scaled(w.wV(), g);
        int d = q.numRows;
        DMatrixRMaj ov = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(v, w.wO(), ov);
        DMatrixRMaj qk = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(q, k, qk);
        return new DMatrixRMaj[] {ov, qk};
    }

    private static double score(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj ab = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, ab);
        return NormOps_DDRM.normF(ab) / (NormOps_DDRM.normF(a) * NormOps_DDRM.normF(b));
    }

    private static DMatrixRMaj scaled(DMatrixRMaj m, double[] g) {
        DMatrixRMaj out = m.copy();
        for (int i = 0; i < out.numRows; i++) {
            for (int j = 0; j < out.numCols; j++) {
                out.set(i, j, g[i] * out.get(i, j));
            }
        }
        return out;
    }
}

package io.github.spectralcircuits.model.control;

import static io.github.spectralcircuits.model.control.BartlettWishartTest.mean;
import static io.github.spectralcircuits.model.control.BartlettWishartTest.variance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.model.control.ControlModel.EmbeddingDraw;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.PathConventions;
import io.github.spectralcircuits.composition.CompositionMode;
import io.github.spectralcircuits.composition.CompositionScores;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * The control's embedding drawn as singular values and a frame block (EmbeddingSpectrum): each part
 * against an explicit construction, and the fast path against the general one on the Gram it stands for.
 */
class EmbeddingSpectrumTest {

    private static double[] svd(DMatrixRMaj m) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
        assertTrue(svd.decompose(m.copy()));
        double[] s = svd.getSingularValues().clone();
        Arrays.sort(s);
        double[] desc = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            desc[i] = s[s.length - 1 - i];
        }
        return Arrays.copyOf(desc, Math.min(m.numRows, m.numCols));
    }

    @Test
    void bidiagonalSingularValuesMatchADenseSvd() {
        Random r = new Random(3);
        int d = 40;
        double[] diag = new double[d];
        double[] off = new double[d - 1];
        DMatrixRMaj b = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            diag[i] = 0.1 + r.nextDouble() * 3;
            b.set(i, i, diag[i]);
            if (i < d - 1) {
                off[i] = r.nextGaussian();
                b.set(i, i + 1, off[i]);
            }
        }
        double[] expected = svd(b);
        double[] actual = EmbeddingSpectrum.bidiagonalSingularValues(diag, off, 2.0);
        for (int i = 0; i < d; i++) {
            assertEquals(2 * expected[i], actual[i], 1e-12 * expected[0], "sigma " + i);
        }
    }

    /** Each ordered singular value's mean over draws, and the pooled values' law, as for explicit Gaussian matrices. */
    @Test
    void singularValuesHaveTheLawOfAGaussianMatrixs() {
        int n = 50;
        int d = 6;
        int draws = 400;
        double[][] drawn = new double[d][draws];
        double[][] explicit = new double[d][draws];
        double[] pooledDrawn = new double[d * draws];
        double[] pooledExplicit = new double[d * draws];
        Random r = new Random(9);
        for (int t = 0; t < draws; t++) {
            double[] s = EmbeddingSpectrum.gaussianSingularValues(n, d, 0.5, 1000 + t);
            DMatrixRMaj g = new DMatrixRMaj(n, d);
            for (int k = 0; k < g.data.length; k++) {
                g.data[k] = 0.5 * r.nextGaussian();
            }
            double[] e = svd(g);
            for (int i = 0; i < d; i++) {
                drawn[i][t] = s[i];
                explicit[i][t] = e[i];
                pooledDrawn[i * draws + t] = s[i];
                pooledExplicit[i * draws + t] = e[i];
            }
        }
        for (int i = 0; i < d; i++) {
            closeMeans("sigma " + i, drawn[i], explicit[i]);
        }
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(pooledDrawn, pooledExplicit);
        assertTrue(p > 1e-3, "KS p-value " + p);
    }

    /** K = Z_1 R^-1 against the top block of an explicit QR's orthonormal factor, and E[K K^T] = (d / n) I. */
    @Test
    void frameBlockIsTheTopOfAUniformFrame() {
        int n = 40;
        int d = 5;
        int draws = 300;
        double[] drawnSv = new double[d * draws];
        double[] explicitSv = new double[d * draws];
        double diagonal = 0;
        double offDiagonal = 0;
        Random r = new Random(4);
        for (int t = 0; t < draws; t++) {
            DMatrixRMaj k = EmbeddingSpectrum.frameBlock(n, d, 77 + t);
            DMatrixRMaj kkT = CommonOps_DDRM.multTransB(k, k, null);
            for (int i = 0; i < d; i++) {
                diagonal += kkT.get(i, i) / (d * draws);
                offDiagonal += kkT.get(i, (i + 1) % d) / (d * draws);
            }
            System.arraycopy(svd(k), 0, drawnSv, t * d, d);
            DMatrixRMaj z = new DMatrixRMaj(n, d);
            for (int i = 0; i < z.data.length; i++) {
                z.data[i] = r.nextGaussian();
            }
            QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, d);
            assertTrue(qr.decompose(z));
            DMatrixRMaj q = qr.getQ(null, true);
            System.arraycopy(svd(CommonOps_DDRM.extract(q, 0, d, 0, d)), 0, explicitSv, t * d, d);
        }
        for (double s : drawnSv) {
            assertTrue(s <= 1 + 1e-12, "a block of an orthonormal frame has singular values <= 1: " + s);
        }
        assertEquals((double) d / n, diagonal, 0.01);
        assertEquals(0, offDiagonal, 0.01);
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(drawnSv, explicitSv);
        assertTrue(p > 1e-3, "KS p-value " + p);
    }

    @Test
    void sameSeedSameDrawAnotherSeedDiffers() {
        EmbeddingSpectrum a = EmbeddingSpectrum.sample(100, 8, false, 0.02, 0.03, 5);
        EmbeddingSpectrum b = EmbeddingSpectrum.sample(100, 8, false, 0.02, 0.03, 5);
        EmbeddingSpectrum c = EmbeddingSpectrum.sample(100, 8, false, 0.02, 0.03, 6);
        assertArrayEquals(a.sigmaE(), b.sigmaE(), 0.0);
        assertArrayEquals(a.cross().data, b.cross().data, 0.0);
        assertFalse(Arrays.equals(a.sigmaU(), c.sigmaU()));
        assertTrue(EmbeddingSpectrum.sample(100, 8, true, 0.02, 0.02, 5).tied());
    }

    /**
     * The fast path (diagonal factors) against the general path on the Gram the spectrum stands for, with the
     * same layers: the same spectra to rounding. A model that is not a ControlModel takes the general path.
     */
    @Test
    void diagonalFactorsGiveTheSpectraOfTheGramTheyStandFor() {
        // with the trained model's scalar conventions too (Gemma's embedding scale, Cohere's logit scale), which
        // the diagonal path folds as sigma_U and the cross product times the logit scale
        for (PathConventions conventions : List.of(PathConventions.NONE, new PathConventions(2.5, null, 0.3)))
        for (boolean tied : new boolean[] {true, false}) {
            ModelInfo shape = new ModelInfo("trained", "LlamaForCausalLM", 4096, 48, 2, 4, 2, 8, tied, "F32", 0.02);
            ControlModel control = ControlModel.of(shape, 3, conventions);
            assertTrue(control.embeddingSpectrum().isPresent());
            AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
            List<HeadSpectra> fast = new SpectraAnalyzer(settings, null).analyze(control).heads();
            List<HeadSpectra> general = new SpectraAnalyzer(settings, null).analyze(new Delegate(control)).heads();
            assertEquals(8, fast.size());
            for (int i = 0; i < fast.size(); i++) {
                for (CircuitType t : CircuitType.values()) {
                    CircuitSpectrum x = general.get(i).circuit(t);
                    CircuitSpectrum y = fast.get(i).circuit(t);
                    double scale = x.singularValues()[0];
                    for (int k = 0; k < 8; k++) {
                        assertEquals(x.singularValues()[k], y.singularValues()[k], 1e-10 * scale, t + " sigma " + k);
                        assertEquals(x.eigenvalues().re()[k], y.eigenvalues().re()[k], 1e-10 * scale, t + " re " + k);
                    }
                }
            }
        }
    }

    /**
     * Without observers the diagonal path reads the control's layers from row views that generate them
     * (ControlModel.layerRows); with one it reads the layer's arrays (ControlModel.layer): the same spectra, bit for
     * bit, and the observer sees the heads' cores the spectra came from.
     */
    @Test
    void layersFromRowViewsGiveTheSpectraOfTheLayersArrays() {
        ModelInfo shape = new ModelInfo("trained", "LlamaForCausalLM", 4096, 40, 2, 6, 3, 5, false, "F32", 0.02);
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
        List<HeadSpectra> views = new SpectraAnalyzer(settings, null).analyze(ControlModel.of(shape, 9)).heads();
        List<Integer> observed = new java.util.ArrayList<>();
        List<HeadSpectra> arrays = new SpectraAnalyzer(settings, null).analyze(ControlModel.of(shape, 9),
                List.of((w, cores) -> observed.add(cores.size()))).heads();
        assertEquals(List.of(6, 6), observed);
        assertEquals(12, views.size());
        for (int i = 0; i < views.size(); i++) {
            for (CircuitType t : CircuitType.values()) {
                assertArrayEquals(arrays.get(i).circuit(t).singularValues(), views.get(i).circuit(t).singularValues(), 0.0);
                assertArrayEquals(arrays.get(i).circuit(t).eigenvalues().re(), views.get(i).circuit(t).eigenvalues().re(), 0.0);
            }
        }
    }

    /**
     * The control's composition scores (the null of the trained model's) read only its layers as drawn, so the
     * SPECTRUM form, whose layers the analysis multiplies with diagonal factors, gives exactly the scores of
     * the ROWS form with explicit embedding rows, whatever the conventions folded in.
     */
    @Test
    void compositionOfTheControlDoesNotDependOnTheFormOfItsEmbedding() {
        ModelInfo shape = new ModelInfo("trained", "LlamaForCausalLM", 4096, 48, 3, 4, 2, 8, false, "F32", 0.02);
        PathConventions conventions = new PathConventions(2.5, null, 0.3);
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
        CompositionScores fast = CompositionScores.forControl(3, 4);
        new SpectraAnalyzer(settings, null).analyze(ControlModel.of(shape, 5, conventions), List.of(fast));
        CompositionScores rows = CompositionScores.forControl(3, 4);
        new SpectraAnalyzer(settings, null).analyze(ControlModel.of(shape, 5, EmbeddingDraw.ROWS, conventions), List.of(rows));
        int compared = 0;
        for (CompositionMode mode : CompositionMode.values()) {
            for (int lb = 1; lb < 3; lb++) {
                for (int la = 0; la < lb; la++) {
                    for (int a = 0; a < 4; a++) {
                        for (int b = 0; b < 4; b++) {
                            double x = rows.matrices().score(mode, la, a, lb, b);
                            double y = fast.matrices().score(mode, la, a, lb, b);
                            if (!Double.isNaN(x)) {
                                assertTrue(x > 0 && x < 1, mode + " " + x);
                                assertEquals(x, y, 1e-12, mode + " " + la + "." + a + " -> " + lb + "." + b);
                                compared++;
                            } else {
                                assertTrue(Double.isNaN(y));
                            }
                        }
                    }
                }
            }
        }
        assertTrue(compared >= 3 * 3 * 4, "pairs compared: " + compared);
    }

    /** Means of two independent samples within four standard errors of their difference. */
    static void closeMeans(String what, double[] a, double[] b) {
        double ma = mean(a);
        double mb = mean(b);
        double se = Math.sqrt(variance(a, ma) / a.length + variance(b, mb) / b.length);
        assertEquals(ma, mb, 4 * se, what);
    }

    /** The control seen through the TransformerModel interface only. */
    private record Delegate(ControlModel c) implements TransformerModel {
        @Override
        public ModelInfo info() {
            return c.info();
        }

        @Override
        public RowMatrix embedding() {
            return c.embedding();
        }

        @Override
        public RowMatrix unembeddingTransposed() {
            return c.unembeddingTransposed();
        }

        @Override
        public Optional<DMatrixRMaj> embeddingGram() {
            return c.embeddingGram();
        }

        @Override
        public double[] finalNormGain() {
            return c.finalNormGain();
        }

        @Override
        public LayerWeights layer(int l) {
            return c.layer(l);
        }

        @Override
        public PathConventions conventions() {
            return c.conventions();
        }
    }
}

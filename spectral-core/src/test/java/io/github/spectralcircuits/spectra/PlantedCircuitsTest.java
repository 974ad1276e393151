package io.github.spectralcircuits.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.testing.InMemoryTransformer;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Heads built so that their circuits' spectra are known in closed form. W_E has orthonormal columns
 * and is tied, so a circuit W_E M W_E^T has M's nonzero eigenvalues and singular values.
 * Head 0: W_V W_O = W_Q W_K^T = U diag(4, 2, 1, 0.25) U^T (symmetric PSD);
 * head 1: a rotation by 72 degrees scaled by 3 in a plane; head 2: rank one.
 */
class PlantedCircuitsTest {
    private static final int V = 20;
    private static final int D = 8;
    private static final int DH = 4;
    private static final double[] LAMBDA = {4, 2, 1, 0.25};
    private static final double R = 3;
    private static final double THETA = 2 * Math.PI / 5;

    private static DMatrixRMaj x;
    private static DMatrixRMaj a;
    private static DMatrixRMaj wK2;
    private static ModelSpectra spectra;

    @BeforeAll
    static void plant() {
        Random rnd = new Random(7);
        DMatrixRMaj wE = orthonormalColumns(rnd, V, D);
        DMatrixRMaj u = orthonormalColumns(rnd, D, DH);
        DMatrixRMaj wQ = new DMatrixRMaj(D, 3 * DH);
        DMatrixRMaj wK = new DMatrixRMaj(D, 3 * DH);
        DMatrixRMaj wV = new DMatrixRMaj(D, 3 * DH);
        DMatrixRMaj wO = new DMatrixRMaj(3 * DH, D);
        // head 0: W = U diag(sqrt(lambda)), W_Q = W_K = W_V = W, W_O = W^T
        for (int i = 0; i < D; i++) {
            for (int c = 0; c < DH; c++) {
                double v = u.get(i, c) * Math.sqrt(LAMBDA[c]);
                wQ.set(i, c, v);
                wK.set(i, c, v);
                wV.set(i, c, v);
                wO.set(c, i, v);
            }
        }
        // head 1: W_V = W_K = [u0 u1 0 0], and W_Q, W_O chosen so that
        // W_Q W_K^T = W_V W_O = R [u0 u1] Rot [u0 u1]^T
        double cos = Math.cos(THETA);
        double sin = Math.sin(THETA);
        double[][] rot = {{R * cos, -R * sin}, {R * sin, R * cos}};
        for (int i = 0; i < D; i++) {
            for (int c = 0; c < 2; c++) {
                wK.set(i, DH + c, u.get(i, c));
                wV.set(i, DH + c, u.get(i, c));
                // (W_Q)[i, c] = sum_e u[i, e] rot[e][c]  =>  W_Q W_K^T = U2 rot U2^T
                wQ.set(i, DH + c, u.get(i, 0) * rot[0][c] + u.get(i, 1) * rot[1][c]);
                // (W_O)[c, i] = sum_e rot[c][e] u[i, e]  =>  W_V W_O = U2 rot U2^T
                wO.set(DH + c, i, rot[c][0] * u.get(i, 0) + rot[c][1] * u.get(i, 1));
            }
        }
        // head 2: W_Q = x a^T, W_V = x a^T (rank one), W_K and W_O random
        x = RandomTransformers.matrix(rnd, D, 1);
        a = RandomTransformers.matrix(rnd, DH, 1);
        wK2 = RandomTransformers.matrix(rnd, D, DH);
        DMatrixRMaj wO2 = RandomTransformers.matrix(rnd, DH, D);
        for (int i = 0; i < D; i++) {
            for (int c = 0; c < DH; c++) {
                wQ.set(i, 2 * DH + c, x.get(i) * a.get(c));
                wV.set(i, 2 * DH + c, x.get(i) * a.get(c));
                wK.set(i, 2 * DH + c, wK2.get(i, c));
                wO.set(2 * DH + c, i, wO2.get(c, i));
            }
        }
        LayerWeights layer = new LayerWeights(0, 3, 3, DH, RandomTransformers.ones(D), wQ, wK, wV, wO);
        InMemoryTransformer model = new InMemoryTransformer(InMemoryTransformer.info(V, D, 1, 3, 3, DH, true),
                wE.data, null, RandomTransformers.ones(D), List.of(layer));
        spectra = new SpectraAnalyzer(AnalysisSettings.defaults(), ProgressListener.NONE).analyze(model);
    }

    private static DMatrixRMaj orthonormalColumns(Random rnd, int rows, int cols) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, cols);
        qr.decompose(RandomTransformers.matrix(rnd, rows, cols));
        return qr.getQ(null, true);
    }

    @Test
    void symmetricPositiveSemiDefiniteHead() {
        for (CircuitSpectrum c : List.of(spectra.heads().get(0).ov(), spectra.heads().get(0).qk())) {
            for (int i = 0; i < DH; i++) {
                assertEquals(LAMBDA[i], c.eigenvalues().re()[i], 1e-12, "eigenvalue " + i);
                assertEquals(0.0, c.eigenvalues().im()[i], 1e-12);
                assertEquals(LAMBDA[i], c.singularValues()[i], 1e-12, "singular value " + i);
            }
            CircuitStats s = c.stats();
            assertEquals(1.0, s.positivity(), 1e-12);
            assertEquals(7.25, s.trace(), 1e-12);
            assertEquals(7.25 / V, s.mean(), 1e-12);
            assertEquals(0.0, s.median(), 1e-12);
            assertEquals((V - DH) / (double) V, s.nearZeroRatio(), 0);
            assertEquals(DH, s.numericalRank());
            assertEquals((16 + 4 + 1 + 0.0625) / 16, s.stableRank(), 1e-12);
            assertEquals(4.0, s.spectralNorm(), 1e-12);
            assertEquals(V, c.dimension());
            assertEquals(DH, c.rankBound());
        }
    }

    @Test
    void rotationHeadHasAConjugatePairOfTheRotationsModulus() {
        for (CircuitSpectrum c : List.of(spectra.heads().get(1).ov(), spectra.heads().get(1).qk())) {
            double[] re = c.eigenvalues().re();
            double[] im = c.eigenvalues().im();
            assertEquals(R * Math.cos(THETA), re[0], 1e-12);
            assertEquals(R * Math.sin(THETA), im[0], 1e-12, "+i first");
            assertEquals(R * Math.cos(THETA), re[1], 1e-12);
            assertEquals(-R * Math.sin(THETA), im[1], 1e-12);
            assertEquals(0.0, Math.hypot(re[2], im[2]), 1e-12);
            assertEquals(0.0, Math.hypot(re[3], im[3]), 1e-12);
            assertEquals(R, c.singularValues()[0], 1e-12);
            assertEquals(R, c.singularValues()[1], 1e-12);
            assertEquals(Math.cos(THETA), c.stats().positivity(), 1e-12);
            assertEquals(2, c.stats().numericalRank());
            assertEquals(2.0, c.stats().effectiveRank(), 1e-9);
            assertEquals(2.0, c.stats().stableRank(), 1e-12);
        }
    }

    @Test
    void rankOneHead() {
        HeadSpectra h = spectra.heads().get(2);
        for (CircuitSpectrum c : List.of(h.qk(), h.ov())) {
            assertEquals(1, c.stats().numericalRank());
            assertEquals(1.0, c.stats().effectiveRank(), 1e-9);
            assertEquals(1.0, c.stats().stableRank(), 1e-12);
        }
        // QK = W_E x a^T W_K^T W_E^T: its one nonzero eigenvalue is a^T W_K^T x, sigma_1 = |x| |W_K a|
        DMatrixRMaj ka = CommonOps_DDRM.mult(wK2, a, null);
        double lambda = CommonOps_DDRM.dot(ka, x);
        assertEquals(lambda, h.qk().eigenvalues().re()[0], 1e-12);
        assertEquals(NormOps_DDRM.normF(x) * NormOps_DDRM.normF(ka), h.qk().stats().spectralNorm(), 1e-12);
        assertEquals(Math.signum(lambda), h.qk().stats().positivity(), 1e-12);
    }
}

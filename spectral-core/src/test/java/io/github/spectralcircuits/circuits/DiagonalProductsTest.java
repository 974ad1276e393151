package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.model.LayerRows;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.spectra.Decompositions;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The control's fast path (block Grams, Cholesky factors, one workspace) against LayerProducts on the same
 * diagonal factors and weights (products of scaled copies, Householder QRs): the same cores to rounding.
 */
class DiagonalProductsTest {

    private static double[] positive(Random rnd, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 0.5 + 2 * rnd.nextDouble();
        }
        return s;
    }

    /** A layer with Gaussian projections (as the control's) and every gain a family may fold. */
    private static LayerWeights layer(Random rnd, int d, int heads, int kvHeads, int dh, boolean gains) {
        return new LayerWeights(3, heads, kvHeads, dh, gains ? RandomTransformers.gains(rnd, d) : null,
                RandomTransformers.matrix(rnd, d, heads * dh), RandomTransformers.matrix(rnd, d, kvHeads * dh),
                RandomTransformers.matrix(rnd, d, kvHeads * dh), RandomTransformers.matrix(rnd, heads * dh, d),
                gains ? RandomTransformers.gains(rnd, heads * dh) : null, gains ? RandomTransformers.gains(rnd, kvHeads * dh) : null,
                gains ? RandomTransformers.gains(rnd, d) : null);
    }

    @ParameterizedTest(name = "H {0}, KV {1}, tied {2}, gains {3}")
    @CsvSource({"4, 4, false, false", "6, 2, false, true", "4, 2, true, true", "8, 8, true, false"})
    void coresEqualTheGeneralPathsOnTheSameFactors(int heads, int kvHeads, boolean tied, boolean gains) {
        Random rnd = new Random(heads * 31 + kvHeads + (tied ? 7 : 0));
        int d = 40;
        int dh = 6;
        double[] sE = positive(rnd, d);
        double[] sU = tied ? sE : positive(rnd, d);
        DMatrixRMaj cross = tied ? null : RandomTransformers.matrix(rnd, d, d);
        LayerWeights w = layer(rnd, d, heads, kvHeads, dh, gains);
        double scale = 1.3;
        // the logit scale as the analyzer passes it: sigma_U scaled, and the cross product's scale apart
        double c = 0.7;
        double[] sUc = sU.clone();
        for (int i = 0; i < d; i++) {
            sUc[i] *= c;
        }
        DMatrixRMaj crossC = cross == null ? null : cross.copy();
        if (crossC != null) {
            CommonOps_DDRM.scale(c, crossC);
        }
        try (SharedFactors general = SharedFactors.diagonal(sE, sUc, crossC);
             SharedFactors fast = SharedFactors.diagonal(sE, sUc, cross, c)) {
            DiagonalProducts b = DiagonalProducts.folded(fast, LayerRows.of(w), scale);
            assertEquals(0, b.firstHead());
            assertEquals(heads, b.endHead());
            // the general path a group of two key/value heads at a time
            for (int kv = 0; kv < kvHeads; kv += 2) {
                LayerProducts a = LayerProducts.folded(general, w, scale, kv, Math.min(kvHeads, kv + 2));
                for (int h = a.firstHead(); h < a.endHead(); h++) {
                    sameCores(a.head(h), b.head(h));
                }
            }
            assertThrows(IllegalArgumentException.class, () -> b.head(heads));
            // the workspace is reused for the next layer: the same cores again
            DiagonalProducts again = DiagonalProducts.folded(fast, LayerRows.of(w), scale);
            close(b.head(heads - 1).ovEigenCore(), again.head(heads - 1).ovEigenCore(), "reused workspace");
        }
    }

    /** Raw weights (foldNorms=false): the gains are not folded on either path. */
    @Test
    void rawWeightsAsTheGeneralPath() {
        Random rnd = new Random(5);
        int d = 30;
        double[] sE = positive(rnd, d);
        double[] sU = positive(rnd, d);
        DMatrixRMaj cross = RandomTransformers.matrix(rnd, d, d);
        LayerWeights w = layer(rnd, d, 4, 2, 5, true);
        try (SharedFactors general = SharedFactors.diagonal(sE, sU, cross);
             SharedFactors fast = SharedFactors.diagonal(sE, sU, cross)) {
            LayerProducts a = LayerProducts.raw(general, w, 0, 2);
            DiagonalProducts b = DiagonalProducts.raw(fast, LayerRows.of(w));
            for (int h = 0; h < 4; h++) {
                sameCores(a.head(h), b.head(h));
            }
        }
    }

    /**
     * Blocks whose Cholesky factor would not do: a dead head (zero columns: its Gram is singular) and a head
     * with two nearly equal columns (condition number about 1e9): both get the Householder R, and the cores
     * still equal the general path's.
     */
    @Test
    void illConditionedBlocksFallBackToTheQr() {
        Random rnd = new Random(8);
        int d = 36;
        int dh = 5;
        double[] sE = positive(rnd, d);
        double[] sU = positive(rnd, d);
        DMatrixRMaj cross = RandomTransformers.matrix(rnd, d, d);
        LayerWeights w = layer(rnd, d, 3, 3, dh, false);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < dh; j++) {
                w.wQ().set(i, j, 0); // head 0's queries dead
            }
            w.wK().set(i, dh + 1, w.wK().get(i, dh) * (1 + 1e-9) + 1e-9 * rnd.nextGaussian()); // head 1's keys
        }
        double[] gram = gram(w.wK(), dh, dh, sE);
        double[] r = io.github.spectralcircuits.linalg.Cholesky.upper(gram, dh);
        assertTrue(r == null || DiagonalProducts.conditionBound(r, dh) > DiagonalProducts.CONDITION_LIMIT,
                "the planted block must be refused by the condition bound");
        try (SharedFactors general = SharedFactors.diagonal(sE, sU, cross);
             SharedFactors fast = SharedFactors.diagonal(sE, sU, cross)) {
            LayerProducts a = LayerProducts.raw(general, w, 0, 3);
            DiagonalProducts b = DiagonalProducts.raw(fast, LayerRows.of(w));
            for (int h = 0; h < 3; h++) {
                sameCores(a.head(h), b.head(h));
            }
            // the dead head's R is zero where the general path's is
            assertEquals(0, CommonOps_DDRM.elementMaxAbs(b.head(0).rQ()), 0);
        }
    }

    /** ||R||_F ||R^-1||_F lies between the 2-norm condition number and n times it. */
    @Test
    void conditionBoundBracketsTheConditionNumber() {
        Random rnd = new Random(2);
        for (int n : new int[] {1, 4, 9}) {
            DMatrixRMaj r = new DMatrixRMaj(n, n);
            for (int i = 0; i < n; i++) {
                r.set(i, i, Math.pow(10, -i * 0.3) * (rnd.nextBoolean() ? 1 : -1));
                for (int j = i + 1; j < n; j++) {
                    r.set(i, j, 0.3 * rnd.nextGaussian());
                }
            }
            double[] s = Decompositions.singularValues(r);
            double cond = s[0] / s[n - 1];
            double bound = DiagonalProducts.conditionBound(r.data, n);
            assertTrue(bound >= cond * (1 - 1e-12) && bound <= n * cond * (1 + 1e-12), n + ": " + bound + " vs " + cond);
        }
        assertEquals(Double.POSITIVE_INFINITY, DiagonalProducts.conditionBound(new double[] {1, 2, 0, 0}, 2));
    }

    @Test
    void refusesFactorsThatAreNotDiagonal() {
        Random rnd = new Random(1);
        LayerWeights w = layer(rnd, 10, 2, 2, 3, false);
        DMatrixRMaj f = RandomTransformers.matrix(rnd, 10, 10);
        SharedProducts shared = new SharedProducts(10, true, f, f, CommonOps_DDRM.multTransA(f, f, null), false, false);
        try (SharedFactors general = SharedFactors.of(shared)) {
            assertThrows(IllegalArgumentException.class, () -> DiagonalProducts.raw(general, LayerRows.of(w)));
        }
    }

    /** (diag(s) W[:, block])^T (diag(s) W[:, block]) */
    private static double[] gram(DMatrixRMaj w, int from, int n, double[] s) {
        DMatrixRMaj b = CommonOps_DDRM.extract(w, 0, w.numRows, from, from + n);
        for (int i = 0; i < b.numRows; i++) {
            for (int j = 0; j < n; j++) {
                b.set(i, j, b.get(i, j) * s[i]);
            }
        }
        return CommonOps_DDRM.multTransA(b, b, null).data;
    }

    private static void sameCores(HeadCores a, HeadCores b) {
        assertEquals(a.head(), b.head());
        assertEquals(a.kvHead(), b.kvHead());
        assertEquals(a.layer(), b.layer());
        close(a.qkEigenCore(), b.qkEigenCore(), "QK core");
        close(a.ovEigenCore(), b.ovEigenCore(), "OV core");
        sameSingularValues(a.qkSingularCore(), b.qkSingularCore(), "QK singular core");
        sameSingularValues(a.ovSingularCore(), b.ovSingularCore(), "OV singular core");
        // R up to the signs of its rows: R^T R is the block's Gram on both paths
        for (DMatrixRMaj[] r : new DMatrixRMaj[][] {{a.rQ(), b.rQ()}, {a.rK(), b.rK()}, {a.rV(), b.rV()}, {a.rO(), b.rO()}}) {
            close(CommonOps_DDRM.multTransA(r[0], r[0], null), CommonOps_DDRM.multTransA(r[1], r[1], null), "R^T R");
            close(signed(r[0]), signed(r[1]), "R with a nonnegative diagonal");
        }
    }

    private static DMatrixRMaj signed(DMatrixRMaj r) {
        DMatrixRMaj s = r.copy();
        for (int i = 0; i < s.numRows; i++) {
            if (s.get(i, i) < 0) {
                for (int j = 0; j < s.numCols; j++) {
                    s.set(i, j, -s.get(i, j));
                }
            }
        }
        return s;
    }

    private static void sameSingularValues(DMatrixRMaj x, DMatrixRMaj y, String what) {
        double[] a = Decompositions.singularValues(x);
        double[] b = Decompositions.singularValues(y);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-11 * Math.max(a[0], 1e-300), what + " sigma " + i);
        }
    }

    private static void close(DMatrixRMaj x, DMatrixRMaj y, String what) {
        double scale = Math.max(CommonOps_DDRM.elementMaxAbs(x), 1e-300);
        for (int i = 0; i < x.data.length; i++) {
            assertEquals(x.data[i], y.data[i], 1e-11 * scale, what + " entry " + i);
        }
    }
}

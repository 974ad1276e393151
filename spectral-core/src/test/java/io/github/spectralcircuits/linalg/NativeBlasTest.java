package io.github.spectralcircuits.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native BLAS (OpenBLAS through JavaCPP, Linux x86-64 here) against the own kernels: the same products
 * and the same spectra to 1e-12 relative; and the fallback when it is switched off or cannot load.
 */
class NativeBlasTest {

    @BeforeEach
    void loadForAnySize() {
        assertTrue(NativeBlas.activate(), "OpenBLAS must load on this platform: " + NativeBlas.describe());
        NativeBlas.minWork = 0;
    }

    @AfterEach
    void restore() {
        NativeBlas.minWork = NativeBlas.NATIVE_MIN_WORK;
        NativeBlas.deactivate();
        NativeBlas.choose("auto");
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextDouble(-1, 1);
        }
        return d;
    }

    @Test
    void tallProductsAndFactorsMatchTheOwnKernel() {
        // 2500 rows: several native panels of 1024 and a ragged last one
        ArrayRowMatrix a = new ArrayRowMatrix(2500, 37, random(2500 * 37, 1));
        ArrayRowMatrix b = new ArrayRowMatrix(2500, 23, random(2500 * 23, 2));
        TallProducts own = new TallProducts(DenseKernel.best(), 2);
        assertClose(own.gram(a).data, TallProducts.standard().gram(a).data);
        assertClose(own.crossProduct(b, a).data, TallProducts.standard().crossProduct(b, a).data);

        int m = 70;
        double[] upper = random(m * m, 3);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                upper[i * m + j] = 0;
            }
        }
        DMatrixRMaj u = DMatrixRMaj.wrap(m, m, upper);
        DMatrixRMaj full = DMatrixRMaj.wrap(m, m, random(m * m, 4));
        DMatrixRMaj rhs = DMatrixRMaj.wrap(m, 45, random(m * 45, 5));
        DenseProducts ownProducts = new DenseProducts(DenseKernel.best());
        try (DenseProducts.Factor nu = DenseProducts.standard().factor(u, true);
             DenseProducts.Factor nf = DenseProducts.standard().factor(full, false)) {
            assertClose(ownProducts.multUpperTriangular(u, rhs).data, nu.times(rhs).data);
            assertClose(ownProducts.mult(full, rhs).data, nf.times(rhs).data);
            // the operand stays in native memory for many products
            assertClose(ownProducts.mult(full, u).data, nf.times(u).data);
        }
    }

    /** Composition scores, whose layer pairs' products go native for square factors, equal the own kernel's. */
    @Test
    void compositionScoresMatchTheOwnKernel() {
        AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
        try (var model = io.github.spectralcircuits.model.ModelLoader.open(java.nio.file.Path.of("../examples/stories260k"))) {
            int nl = model.info().nLayers();
            int nh = model.info().nHeads();
            int q = nh * model.info().dHead();
            // every head of a layer: a square q x q left factor, whose product the native library takes here
            assertEquals(model.info().dModel(), q);
            assertTrue(NativeBlas.forWork((double) q * q * q / 8).isPresent());
            var native_ = new io.github.spectralcircuits.composition.CompositionScores(nl, nh);
            new SpectraAnalyzer(settings, null).analyze(model, List.of(native_));
            NativeBlas.deactivate();
            var own = new io.github.spectralcircuits.composition.CompositionScores(nl, nh);
            new SpectraAnalyzer(settings, null).analyze(model, List.of(own));
            int compared = 0;
            for (int m = 0; m < 3; m++) {
                double[][] a = native_.matrices().scores()[m];
                double[][] b = own.matrices().scores()[m];
                for (int i = 0; i < a.length; i++) {
                    for (int j = 0; j < a.length; j++) {
                        if (Double.isNaN(b[i][j])) {
                            assertTrue(Double.isNaN(a[i][j]));
                            continue;
                        }
                        assertEquals(b[i][j], a[i][j], 1e-12 * b[i][j]);
                        compared++;
                    }
                }
            }
            assertEquals(3 * nl * (nl - 1) / 2 * nh * nh, compared);
        }
    }

    /** LAPACK's dpotrf against EJML's factor, and a matrix that is not positive definite refused by both. */
    @Test
    void choleskyOnBothPaths() {
        int n = 120;
        ArrayRowMatrix x = new ArrayRowMatrix(400, n, random(400 * n, 10));
        double[] g = new TallProducts(DenseKernel.best(), 2).gram(x).data;
        assertClose(Cholesky.ejml(g, n), Cholesky.upper(g, n));
        double[] indefinite = g.clone();
        indefinite[5 * n + 5] = -1;
        assertTrue(Cholesky.upper(indefinite, n) == null && Cholesky.ejml(indefinite, n) == null);
    }

    /** X R = B: the blocked own path and dtrsm against each other and against the definition. */
    @Test
    void triangularSolveOnBothPathsSatisfiesXrEqualsB() {
        int n = 300;
        double[] r = random(n * n, 8);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                r[i * n + j] = 0;
            }
            r[i * n + i] = 5 + Math.abs(r[i * n + i]); // well conditioned
        }
        DMatrixRMaj rm = DMatrixRMaj.wrap(n, n, r);
        DMatrixRMaj b = DMatrixRMaj.wrap(70, n, random(70 * n, 9));
        DMatrixRMaj own = TriangularSolve.blocked(b, rm, new DenseProducts(DenseKernel.best()));
        DMatrixRMaj natively = TriangularSolve.rightUpper(b, rm);
        assertClose(own.data, natively.data);
        assertClose(b.data, org.ejml.dense.row.CommonOps_DDRM.mult(own, rm, null).data);
    }

    @Test
    void spectraAreTheSameOnBothKernels() {
        for (boolean tied : new boolean[] {true, false}) {
            var model = RandomTransformers.random(7, 300, 64, 2, 4, 2, 16, tied);
            AnalysisSettings settings = AnalysisSettings.defaults().withControl(false);
            List<HeadSpectra> natively = new SpectraAnalyzer(settings, null).analyze(model).heads();
            NativeBlas.deactivate();
            List<HeadSpectra> own = new SpectraAnalyzer(settings, null).analyze(model).heads();
            NativeBlas.activate();
            assertEquals(own.size(), natively.size());
            for (int i = 0; i < own.size(); i++) {
                for (CircuitType t : CircuitType.values()) {
                    CircuitSpectrum x = own.get(i).circuit(t);
                    CircuitSpectrum y = natively.get(i).circuit(t);
                    double sigma1 = x.singularValues()[0];
                    for (int k = 0; k < x.singularValues().length; k++) {
                        assertEquals(x.singularValues()[k], y.singularValues()[k], 1e-12 * sigma1, t + " sigma " + k);
                        assertEquals(x.eigenvalues().re()[k], y.eigenvalues().re()[k], 1e-12 * sigma1, t + " re " + k);
                        assertEquals(x.eigenvalues().im()[k], y.eigenvalues().im()[k], 1e-12 * sigma1, t + " im " + k);
                    }
                }
            }
        }
    }

    @Test
    void switchedOffByTheChoiceTheOwnKernelsRun() {
        NativeBlas.choose(" FALSE ");
        String line = NativeBlas.activateFor(1e15);
        assertTrue(NativeBlas.active().isEmpty(), "an active library is switched off too");
        assertTrue(line.contains("Java") && line.contains("{{nativeBlas=false}}"), line);
        ArrayRowMatrix a = new ArrayRowMatrix(300, 9, random(300 * 9, 6));
        assertClose(new TallProducts(DenseKernel.best(), 2).gram(a).data, TallProducts.standard().gram(a).data);
    }

    @Test
    void onlyTheThreeChoicesAreTaken() {
        assertEquals("true", NativeBlas.normalized("True"));
        assertEquals("auto", NativeBlas.normalized(null));
        assertEquals(null, NativeBlas.normalized("yes"));
        assertThrows(IllegalArgumentException.class, () -> NativeBlas.choose("yes"));
    }

    @Test
    void aLibraryThatCannotLoadLeavesTheOwnKernels() {
        NativeBlas.deactivate();
        assertFalse(NativeBlas.activate("io.github.spectralcircuits.linalg.NoSuchBlas"));
        assertTrue(NativeBlas.active().isEmpty());
        assertTrue(NativeBlas.describe().contains("ClassNotFoundException"), NativeBlas.describe());
        var model = RandomTransformers.random(8, 120, 32, 1, 2, 2, 8, false);
        assertEquals(2, new SpectraAnalyzer(AnalysisSettings.defaults().withControl(false), null).analyze(model).heads().size());
    }

    @Test
    void smallModelsDoNotLoadIt() {
        NativeBlas.deactivate();
        String line = NativeBlas.activateFor(1.5e10);
        assertTrue(NativeBlas.active().isEmpty(), line);
        assertTrue(NativeBlas.activateFor(3e11).startsWith("Kernel: OpenBLAS"), NativeBlas.describe());
    }

    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (double x : expected) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * scale, "entry " + i);
        }
    }
}

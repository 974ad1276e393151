package io.github.spectralcircuits.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;

/**
 * Compares a factored spectrum (k values, V - k implicit zeros) with a dense one (all V values) without
 * relying on the production matching code: eigenvalues as multisets via a two-sided nearest-neighbour
 * check plus equal counts of non-negligible values; singular values rank by rank; every statistic.
 */
public final class SpectrumAssertions {
    private SpectrumAssertions() {
    }

    public static void assertSameSpectrum(CircuitSpectrum factored, CircuitSpectrum dense, double relTol, String where) {
        assertEquals(dense.dimension(), factored.dimension(), where + ": dimension");
        double scale = Math.max(dense.stats().spectralNorm(), 1e-300);
        double tol = relTol * scale;
        double[] fr = factored.eigenvalues().re();
        double[] fi = factored.eigenvalues().im();
        double[] dr = dense.eigenvalues().re();
        double[] di = dense.eigenvalues().im();
        assertEquals(dense.dimension(), dr.length, where + ": the dense path lists every eigenvalue");
        for (int i = 0; i < fr.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < dr.length; j++) {
                best = Math.min(best, Math.hypot(fr[i] - dr[j], fi[i] - di[j]));
            }
            assertTrue(best <= tol, where + ": factored eigenvalue " + fr[i] + "+" + fi[i] + "i is " + best / scale
                    + " (relative) from every dense one");
        }
        for (int j = 0; j < dr.length; j++) {
            double best = Math.hypot(dr[j], di[j]); // the implicit structural zeros
            for (int i = 0; i < fr.length; i++) {
                best = Math.min(best, Math.hypot(fr[i] - dr[j], fi[i] - di[j]));
            }
            assertTrue(best <= tol, where + ": dense eigenvalue " + dr[j] + "+" + di[j] + "i is " + best / scale
                    + " (relative) from every factored one and from 0");
        }
        assertEquals(countAbove(dr, di, 1e3 * tol), countAbove(fr, fi, 1e3 * tol), where + ": multiplicity of non-negligible eigenvalues");

        double[] fs = factored.singularValues();
        double[] ds = dense.singularValues();
        for (int i = 0; i < ds.length; i++) {
            double f = i < fs.length ? fs[i] : 0;
            assertEquals(ds[i], f, tol, where + ": singular value " + i);
        }
        assertSameStats(factored.stats(), dense.stats(), relTol, where);
    }

    public static void assertSameStats(CircuitStats f, CircuitStats d, double relTol, String where) {
        double scale = Math.max(d.spectralNorm(), 1e-300);
        assertEquals(d.trace(), f.trace(), relTol * scale * Math.sqrt(f.numericalRank() + 1), where + ": trace");
        assertEquals(d.mean(), f.mean(), relTol * scale, where + ": mean");
        assertEquals(d.std(), f.std(), relTol * scale, where + ": std");
        assertEquals(d.median(), f.median(), relTol * scale, where + ": median");
        assertEquals(d.nearZeroRatio(), f.nearZeroRatio(), 0.0, where + ": nearZeroRatio");
        assertEquals(d.numericalRank(), f.numericalRank(), where + ": numericalRank");
        assertEquals(d.effectiveRank(), f.effectiveRank(), relTol * d.effectiveRank() * 10, where + ": effectiveRank");
        assertEquals(d.stableRank(), f.stableRank(), relTol * d.stableRank() * 10, where + ": stableRank");
        assertEquals(d.spectralNorm(), f.spectralNorm(), relTol * scale, where + ": spectralNorm");
        assertEquals(d.frobeniusNorm(), f.frobeniusNorm(), relTol * scale * 10, where + ": frobeniusNorm");
        assertEquals(d.positivity(), f.positivity(), relTol * 10, where + ": positivity");
    }

    private static int countAbove(double[] re, double[] im, double bound) {
        int n = 0;
        for (int i = 0; i < re.length; i++) {
            if (Math.hypot(re[i], im[i]) > bound) {
                n++;
            }
        }
        return n;
    }
}

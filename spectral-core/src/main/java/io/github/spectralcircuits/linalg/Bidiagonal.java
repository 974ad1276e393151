package io.github.spectralcircuits.linalg;

import java.util.Arrays;
import org.ejml.dense.row.decomposition.svd.implicitqr.SvdImplicitQrAlgorithm_DDRM;

/**
 * Singular values of an upper bidiagonal matrix: LAPACK's dbdsqr (dqds, without vectors) when the native BLAS is
 * active and the matrix is large, else EJML's implicit QR. Why both: at n = 4096 (the random control's embedding
 * spectrum, two per untied model) EJML's takes about 0.6 s of one core and dqds a small fraction of that; the
 * two agree to rounding (a test checks it), and EJML's remains where the native library does not load.
 */
public final class Bidiagonal {
    /** From this size on the native call is worth it (tests lower NativeBlas.minWork to take it for any size). */
    private static final int NATIVE_MIN_SIZE = 256;

    private Bidiagonal() {
    }

    /** The singular values of the n x n upper bidiagonal matrix (diag, off), descending; off has n - 1 entries. */
    public static double[] singularValues(double[] diag, double[] off) {
        int n = diag.length;
        if (off.length != Math.max(0, n - 1)) {
            throw new IllegalArgumentException("a " + n + " x " + n + " bidiagonal matrix has " + Math.max(0, n - 1)
                    + " superdiagonal entries, not " + off.length);
        }
        var blas = NativeBlas.forWork(n >= NATIVE_MIN_SIZE ? Double.MAX_VALUE : 0);
        if (blas.isPresent() && n >= 2) {
            double[] s = blas.get().bidiagonalSingularValues(diag, off);
            if (s != null) {
                return descending(s);
            }
        }
        return ejml(diag, off);
    }

    /** EJML's implicit QR (no vectors), whatever the size. */
    static double[] ejml(double[] diag, double[] off) {
        int n = diag.length;
        double max = 0;
        for (double x : diag) {
            max = Math.max(max, Math.abs(x));
        }
        for (double x : off) {
            max = Math.max(max, Math.abs(x));
        }
        if (max == 0) {
            return new double[n];
        }
        // scaled by the largest entry, so that the iteration neither overflows nor underflows
        double[] dg = new double[n];
        double[] of = new double[Math.max(1, n - 1)];
        for (int i = 0; i < n; i++) {
            dg[i] = diag[i] / max;
        }
        for (int i = 0; i < off.length; i++) {
            of[i] = off[i] / max;
        }
        SvdImplicitQrAlgorithm_DDRM qr = new SvdImplicitQrAlgorithm_DDRM(true);
        qr.setMatrix(n, n, dg, of);
        if (!qr.process()) {
            throw new IllegalStateException("the singular values of a " + n + " x " + n + " bidiagonal matrix did not converge");
        }
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.abs(qr.getSingularValue(i)) * max;
        }
        return descending(s);
    }

    private static double[] descending(double[] s) {
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.abs(s[i]);
        }
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }
}

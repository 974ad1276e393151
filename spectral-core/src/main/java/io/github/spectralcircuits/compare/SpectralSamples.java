package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitSpectrum;
import java.util.List;

/**
 * The samples the density comparisons use: a circuit's k core eigenvalue moduli or k singular values
 * divided by its spectral norm. The V - k structural zeros are left out: they are the same V - k
 * zeros in trained and control alike and would otherwise swamp both distributions (V - k of V values).
 */
final class SpectralSamples {
    private SpectralSamples() {
    }

    static double[] eigenvalueModuli(CircuitSpectrum c) {
        double[] re = c.eigenvalues().re();
        double[] im = c.eigenvalues().im();
        double norm = c.stats().spectralNorm();
        double[] out = new double[re.length];
        for (int i = 0; i < re.length; i++) {
            out[i] = scale(Math.hypot(re[i], im[i]), norm);
        }
        return out;
    }

    static double[] singularValues(CircuitSpectrum c) {
        double[] s = c.singularValues();
        double norm = c.stats().spectralNorm();
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = scale(s[i], norm);
        }
        return out;
    }

    /** A dead circuit (spectral norm 0) has only zeros, which stay zeros. */
    private static double scale(double v, double norm) {
        return norm > 0 ? v / norm : 0.0;
    }

    static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}

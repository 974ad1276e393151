package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.Eigenvalues;
import io.github.spectralcircuits.spectra.HeadSpectra;
import java.util.Arrays;

/** Hand-made spectra for comparison tests, with statistics computed by SPEC section 4's definitions. */
final class SyntheticSpectra {
    private SyntheticSpectra() {
    }

    /** A circuit of dimension v whose k core eigenvalues are real (re) and whose singular values are sv. */
    static CircuitSpectrum circuit(int v, double[] re, double[] sv) {
        return circuit(v, re, new double[re.length], sv);
    }

    static CircuitSpectrum circuit(int v, double[] re, double[] im, double[] sv) {
        int k = re.length;
        double[] s = sv.clone();
        Arrays.sort(s);
        reverse(s);
        double sumRe = 0;
        double sumAbs = 0;
        double maxAbs = 0;
        for (int i = 0; i < k; i++) {
            sumRe += re[i];
            double a = Math.hypot(re[i], im[i]);
            sumAbs += a;
            maxAbs = Math.max(maxAbs, a);
        }
        double mean = sumRe / v;
        double var = 0;
        double[] all = new double[v];
        for (int i = 0; i < v; i++) {
            all[i] = i < k ? re[i] : 0;
            var += (all[i] - mean) * (all[i] - mean);
        }
        Arrays.sort(all);
        double median = v % 2 == 1 ? all[v / 2] : 0.5 * (all[v / 2 - 1] + all[v / 2]);
        int nearZero = v - k;
        for (int i = 0; i < k; i++) {
            if (Math.hypot(re[i], im[i]) <= 1e-3 * maxAbs) {
                nearZero++;
            }
        }
        double sum = Arrays.stream(s).sum();
        double sum2 = Arrays.stream(s).map(x -> x * x).sum();
        int numRank = (int) Arrays.stream(s).filter(x -> x > 1e-6 * s[0]).count();
        double entropy = 0;
        for (double x : s) {
            if (x > 0) {
                double p = x / sum;
                entropy -= p * Math.log(p);
            }
        }
        CircuitStats stats = new CircuitStats(sumRe, mean, Math.sqrt(var / v), median, (double) nearZero / v, numRank,
                Math.exp(entropy), sum2 / (s[0] * s[0]), s[0], Math.sqrt(sum2), sumAbs > 0 ? sumRe / sumAbs : 0);
        return new CircuitSpectrum(v, k, new Eigenvalues(re.clone(), im.clone()), s, stats);
    }

    /** The same circuit with one statistic replaced (spectra untouched). */
    static CircuitSpectrum withStat(CircuitSpectrum c, String metric, double value) {
        CircuitStats s = c.stats();
        double[] v = new double[CircuitStats.METRICS.size()];
        for (int i = 0; i < v.length; i++) {
            String m = CircuitStats.METRICS.get(i);
            v[i] = m.equals(metric) ? value : s.metric(m);
        }
        return new CircuitSpectrum(c.dimension(), c.rankBound(), c.eigenvalues(), c.singularValues(),
                new CircuitStats(v[0], v[1], v[2], v[3], v[4], (int) v[5], v[6], v[7], v[8], v[9], v[10]));
    }

    static HeadSpectra head(int layer, int head, CircuitSpectrum qk, CircuitSpectrum ov) {
        return new HeadSpectra(layer, head, head / 2, qk, ov);
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

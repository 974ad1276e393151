package io.github.spectralcircuits.testing;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.Eigenvalues;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Fabricated reports with plausible spectra, for code downstream of the analysis (charts, pages)
 * that must not wait for a model. Statistics are derived from the fabricated eigenvalues and
 * singular values with the SPEC section 4 formulas, so a chart of a statistic and a chart of the
 * eigenvalues tell the same story.
 */
public final class SyntheticReports {
    private SyntheticReports() {
    }

    /** stories260k's shapes (V=512, d=64, 5 layers x 8 heads, 4 KV heads, dh=8). */
    public static ModelInfo stories260kInfo() {
        return new ModelInfo("examples/stories260k", "LlamaForCausalLM", 512, 64, 5, 8, 4, 8, true, "F32", 0.02);
    }

    /**
     * A trained-looking model (OV heads from strongly copying to strongly anti-copying, QK mostly
     * positive) and, when withControl, a control whose spectra are symmetric around zero.
     */
    public static SpectralReport stories260kLike(long seed, boolean withControl) {
        return like(stories260kInfo(), seed, withControl);
    }

    /** As stories260kLike, for any shapes. */
    public static SpectralReport like(ModelInfo info, long seed, boolean withControl) {
        Random rnd = new Random(seed);
        List<HeadSpectra> trained = new ArrayList<>();
        List<HeadSpectra> control = new ArrayList<>();
        for (int layer = 0; layer < info.nLayers(); layer++) {
            for (int head = 0; head < info.nHeads(); head++) {
                double ovBias = Math.sin(1.7 * head + 0.9 * layer);
                double qkBias = 0.6;
                trained.add(new HeadSpectra(layer, head, info.kvHeadOf(head),
                        circuit(info, randomEigenvalues(rnd, info.dHead(), 40 + 10 * layer, qkBias)),
                        circuit(info, randomEigenvalues(rnd, info.dHead(), 8 + 3 * head, ovBias))));
                control.add(new HeadSpectra(layer, head, info.kvHeadOf(head),
                        circuit(info, randomEigenvalues(rnd, info.dHead(), 0.05, 0.0)),
                        circuit(info, randomEigenvalues(rnd, info.dHead(), 0.01, 0.0))));
            }
        }
        List<CheckResult> checks = List.of(
                new CheckResult("OV effectiveRank >= 2", true, "all heads pass"),
                new CheckResult("QK nearZeroRatio <= 0.999", false,
                        "layer 0 head 3 QK nearZeroRatio 0.9995 > 0.999"));
        return new SpectralReport(SpectralReport.SCHEMA_VERSION, info, AnalysisSettings.defaults(),
                new ModelSpectra(trained), withControl ? new ModelSpectra(control) : null,
                null, null, null, checks);
    }

    /** A report of exactly the given heads (no control), for planted-value tests. */
    public static SpectralReport ofHeads(ModelInfo info, List<HeadSpectra> heads) {
        return new SpectralReport(SpectralReport.SCHEMA_VERSION, info, AnalysisSettings.defaults(),
                new ModelSpectra(heads), null, null, null, null, List.of());
    }

    /**
     * The report with one head's OV circuit multiplied by factor (what scaling that head's rows of W_O does):
     * its eigenvalues and singular values times factor, its statistics recomputed from them.
     */
    public static SpectralReport withOvScaled(SpectralReport report, int layer, int head, double factor) {
        List<HeadSpectra> heads = new ArrayList<>();
        for (HeadSpectra h : report.trained().heads()) {
            if (h.layer() != layer || h.head() != head) {
                heads.add(h);
                continue;
            }
            CircuitSpectrum ov = h.ov();
            double[] re = ov.eigenvalues().re().clone();
            double[] im = ov.eigenvalues().im().clone();
            double[] sigma = ov.singularValues().clone();
            for (int i = 0; i < re.length; i++) {
                re[i] *= factor;
                im[i] *= factor;
            }
            for (int i = 0; i < sigma.length; i++) {
                sigma[i] *= factor;
            }
            Eigenvalues ev = new Eigenvalues(re, im);
            heads.add(new HeadSpectra(h.layer(), h.head(), h.kvHead(), h.qk(),
                    new CircuitSpectrum(ov.dimension(), ov.rankBound(), ev, sigma, stats(ov.dimension(), ev, sigma))));
        }
        return new SpectralReport(report.schemaVersion(), report.model(), report.settings(), new ModelSpectra(heads),
                report.control(), report.comparison(), report.thinkingHeads(), report.baselineDrift(), report.checks());
    }

    /** A head whose QK and OV core eigenvalues are the given real numbers (singular values = their moduli). */
    public static HeadSpectra headWithRealEigenvalues(ModelInfo info, int layer, int head, double[] qk, double[] ov) {
        return new HeadSpectra(layer, head, info.kvHeadOf(head),
                circuit(info, new Eigenvalues(qk.clone(), new double[qk.length])),
                circuit(info, new Eigenvalues(ov.clone(), new double[ov.length])));
    }

    /** k eigenvalues of a given scale; bias in [-1, 1] pushes the real parts positive or negative; some conjugate pairs. */
    static Eigenvalues randomEigenvalues(Random rnd, int k, double scale, double bias) {
        double[] re = new double[k];
        double[] im = new double[k];
        int i = 0;
        while (i < k) {
            double modulus = scale * Math.exp(-0.45 * i) * (0.7 + 0.6 * rnd.nextDouble());
            double real = modulus * Math.max(-1, Math.min(1, bias + 0.5 * rnd.nextGaussian()));
            if (i + 1 < k && rnd.nextDouble() < 0.35) {
                double imag = Math.sqrt(Math.max(0, modulus * modulus - real * real));
                re[i] = real;
                im[i] = imag;
                re[i + 1] = real;
                im[i + 1] = -imag;
                i += 2;
            } else {
                re[i] = real;
                i++;
            }
        }
        return sorted(re, im);
    }

    /** SPEC order: descending modulus, then descending real part, then descending imaginary part. */
    static Eigenvalues sorted(double[] re, double[] im) {
        Integer[] order = new Integer[re.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.hypot(re[i], im[i]))
                .thenComparingDouble(i -> -re[i]).thenComparingDouble(i -> -im[i]));
        double[] r = new double[re.length];
        double[] m = new double[re.length];
        for (int i = 0; i < order.length; i++) {
            r[i] = re[order[i]];
            m[i] = im[order[i]];
        }
        return new Eigenvalues(r, m);
    }

    /** A circuit whose singular values are the eigenvalue moduli (a normal matrix) and whose stats follow SPEC section 4. */
    static CircuitSpectrum circuit(ModelInfo info, Eigenvalues ev) {
        int v = info.vocabSize();
        int k = ev.re().length;
        double[] sigma = new double[k];
        for (int i = 0; i < k; i++) {
            sigma[i] = Math.hypot(ev.re()[i], ev.im()[i]);
        }
        Arrays.sort(sigma);
        for (int i = 0; i < k / 2; i++) {
            double t = sigma[i];
            sigma[i] = sigma[k - 1 - i];
            sigma[k - 1 - i] = t;
        }
        return new CircuitSpectrum(v, k, ev, sigma, stats(v, ev, sigma));
    }

    static CircuitStats stats(int v, Eigenvalues ev, double[] sigma) {
        int k = sigma.length;
        double trace = 0;
        double absSum = 0;
        double maxAbs = 0;
        for (int i = 0; i < k; i++) {
            trace += ev.re()[i];
            double a = Math.hypot(ev.re()[i], ev.im()[i]);
            absSum += a;
            maxAbs = Math.max(maxAbs, a);
        }
        double mean = trace / v;
        double sq = 0;
        for (int i = 0; i < k; i++) {
            sq += (ev.re()[i] - mean) * (ev.re()[i] - mean);
        }
        sq += (v - k) * mean * mean;
        double[] all = new double[v];
        System.arraycopy(ev.re(), 0, all, 0, k);
        Arrays.sort(all);
        double median = v % 2 == 1 ? all[v / 2] : 0.5 * (all[v / 2 - 1] + all[v / 2]);
        int nearZero = v - k;
        for (int i = 0; i < k; i++) {
            if (Math.hypot(ev.re()[i], ev.im()[i]) <= 1e-3 * maxAbs) {
                nearZero++;
            }
        }
        int rank = 0;
        double sum = 0;
        double sumSq = 0;
        for (double s : sigma) {
            if (s > 1e-6 * sigma[0]) {
                rank++;
            }
            sum += s;
            sumSq += s * s;
        }
        double entropy = 0;
        for (double s : sigma) {
            double p = s / sum;
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return new CircuitStats(trace, mean, Math.sqrt(sq / v), median, (double) nearZero / v, rank,
                Math.exp(entropy), sumSq / (sigma[0] * sigma[0]), sigma[0], Math.sqrt(sumSq),
                absSum == 0 ? 0 : trace / absSum);
    }
}

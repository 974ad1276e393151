package io.github.spectralcircuits.testing;

import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/** Small random models with Gaussian weights and non-trivial norm gains, deterministic from a seed. */
public final class RandomTransformers {
    private RandomTransformers() {
    }

    public static InMemoryTransformer random(long seed, int vocab, int d, int nLayers, int nHeads, int nKv, int dHead,
                                             boolean tied) {
        Random rnd = new Random(seed);
        ModelInfo info = InMemoryTransformer.info(vocab, d, nLayers, nHeads, nKv, dHead, tied);
        double[] wE = gaussian(rnd, vocab * d, 1.0);
        double[] wUT = tied ? null : gaussian(rnd, vocab * d, 1.0);
        double[] finalGain = gains(rnd, d);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < nLayers; l++) {
            layers.add(new LayerWeights(l, nHeads, nKv, dHead, gains(rnd, d),
                    matrix(rnd, d, nHeads * dHead), matrix(rnd, d, nKv * dHead),
                    matrix(rnd, d, nKv * dHead), matrix(rnd, nHeads * dHead, d)));
        }
        return new InMemoryTransformer(info, wE, wUT, finalGain, layers);
    }

    /** Gains around 1 with a spread, some negative, so that folding visibly changes the spectra. */
    public static double[] gains(Random rnd, int d) {
        double[] g = new double[d];
        for (int i = 0; i < d; i++) {
            g[i] = 1.0 + 0.5 * rnd.nextGaussian();
        }
        return g;
    }

    public static DMatrixRMaj matrix(Random rnd, int rows, int cols) {
        return new DMatrixRMaj(rows, cols, true, gaussian(rnd, rows * cols, 1.0 / Math.sqrt(rows)));
    }

    public static double[] gaussian(Random rnd, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * rnd.nextGaussian();
        }
        return a;
    }

    /** All-ones gains (a norm that changes nothing when folded). */
    public static double[] ones(int d) {
        double[] g = new double[d];
        java.util.Arrays.fill(g, 1.0);
        return g;
    }
}

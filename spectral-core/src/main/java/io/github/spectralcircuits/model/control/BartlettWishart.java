package io.github.spectralcircuits.model.control;

import io.github.spectralcircuits.linalg.RowDot;
import java.util.stream.IntStream;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.AbstractRandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * One exact draw of the Gram matrix X^T X of an n x p matrix X with independent entries, column j
 * N(0, s_j^2), in O(p^3) and without X: the Wishart_p(n, diag(s^2)) law by Bartlett's decomposition
 * (Bartlett 1933). For n >= p, X^T X has the law of D A A^T D with D = diag(s) and A lower triangular
 * with independent entries, A_ii = sqrt(chi^2 with n - i degrees of freedom) (0-based i) and
 * A_ij ~ N(0, 1) below the diagonal. (A^T is the R of a thin QR of the unscaled X: X^T X = R^T R, and
 * Householder reflections of a Gaussian matrix leave its remaining columns Gaussian, one dimension
 * fewer at each step.)
 *
 * <p>Reproducible on any JVM and thread count: row i of A is drawn from its own {@link GaussianStream}
 * keyed (seed, i), and each entry of D A A^T D is one dot product summed in a fixed order by one
 * thread, in plain double arithmetic (strict in Java 17). The vectorised kernels of the linalg package
 * are not used for that product because their rounding depends on the kernel the JVM offers.
 *
 * <p>The chi-square draws are commons-math3's gamma sampler (Marsaglia and Tsang 2000 for shape >= 1,
 * Ahrens and Dieter for shape < 1), fed by the row's stream through {@link StreamGenerator}; it uses
 * only FastMath (pure Java), so its draws are the same on every JVM too.
 */
public final class BartlettWishart {
    private BartlettWishart() {
    }

    /**
     * X^T X for X with {@code n} rows and {@code scales.length} columns, column j ~ N(0, scales[j]^2)
     * entry by entry; symmetric p x p.
     */
    public static DMatrixRMaj sample(int n, double[] scales, long seed) {
        int p = scales.length;
        if (p == 0 || n < p) {
            throw new IllegalArgumentException("a Wishart draw needs 1 <= p <= n (degrees of freedom), not p = "
                    + p + ", n = " + n);
        }
        return scaledGram(factor(n, p, seed), p, scales);
    }

    /** Bartlett's A, p x p row-major, lower triangular (zeros above the diagonal). */
    static double[] factor(int n, int p, long seed) {
        double[] a = new double[p * p];
        for (int i = 0; i < p; i++) {
            GaussianStream stream = new GaussianStream(SeedMixer.combine(seed, i));
            for (int j = 0; j < i; j++) {
                a[i * p + j] = stream.nextGaussian();
            }
            a[i * p + i] = chi(stream, n - i);
        }
        return a;
    }

    /** A chi variate with k degrees of freedom: chi^2_k is Gamma(shape k / 2, scale 2). */
    static double chi(GaussianStream stream, int k) {
        return Math.sqrt(new GammaDistribution(new StreamGenerator(stream), k / 2.0, 2.0).sample());
    }

    /**
     * D A A^T D: entry (i, j), j <= i, is s_i s_j times the dot product of rows i and j over k <= j.
     * Rows are paired (t, p - 1 - t) so that every task has about the same number of multiply-adds.
     */
    private static DMatrixRMaj scaledGram(double[] a, int p, double[] s) {
        double[] g = new double[p * p];
        IntStream.range(0, (p + 1) / 2).parallel().forEach(t -> {
            gramRow(a, p, s, t, g);
            if (p - 1 - t != t) {
                gramRow(a, p, s, p - 1 - t, g);
            }
        });
        return DMatrixRMaj.wrap(p, p, g);
    }

    private static void gramRow(double[] a, int p, double[] s, int i, double[] g) {
        for (int j = 0; j <= i; j++) {
            double v = s[i] * s[j] * RowDot.dot(a, i * p, j * p, j + 1);
            g[i * p + j] = v;
            g[j * p + i] = v;
        }
    }

    /**
     * commons-math3's RandomGenerator over one {@link GaussianStream}: its normals are the stream's
     * ziggurat normals, its uniforms the stream's open-interval uniforms. Never reseeded: the stream's
     * position is the state.
     */
    static final class StreamGenerator extends AbstractRandomGenerator {
        private final GaussianStream stream;

        StreamGenerator(GaussianStream stream) {
            this.stream = stream;
        }

        @Override
        public void setSeed(long seed) {
            throw new UnsupportedOperationException("a control stream is keyed by its position, never reseeded");
        }

        @Override
        public double nextDouble() {
            return stream.nextOpenUniform();
        }

        @Override
        public double nextGaussian() {
            return stream.nextGaussian();
        }
    }
}

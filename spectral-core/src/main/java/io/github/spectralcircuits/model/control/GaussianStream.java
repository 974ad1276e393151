package io.github.spectralcircuits.model.control;

/**
 * A stream of standard normal draws: xoshiro256++ (Blackman and Vigna 2019) for the bits, the
 * ziggurat method (Marsaglia and Tsang 2000, 256 layers, in the layout of Doornik 2005 with the
 * layer index taken from bits independent of the uniform) for the normal variates.
 *
 * <p>Why these: the control of a TinyStories-33M-sized model needs about 40 million draws each time
 * its embedding is read. xoshiro256++ is a few shifts and adds per 64 bits and passes BigCrush;
 * the ziggurat returns about 99% of its variates from one table look-up and a multiply, needing
 * exp or log only in the wedges and tail. java.util.Random's nextGaussian (polar method, two logs
 * and a square root per pair, synchronized) is several times slower.
 *
 * <p>Reproducible on any JVM and machine: integer arithmetic, IEEE multiplies and compares, and
 * StrictMath (fdlibm, bit-exact by specification) wherever exp, log or sqrt is needed, tables
 * included. Not thread-safe: one stream per row, see {@link GaussianRowMatrix}.
 */
public final class GaussianStream {
    private static final int LAYERS = 256;
    /** Start of the tail and common layer area for 256 layers (Marsaglia and Tsang 2000). */
    private static final double R = 3.6541528853610088;
    private static final double AREA = 4.92867323399e-3;
    /** X[i]: right edge of layer i; X[0] = AREA / f(R) is the base strip that also stands for the tail. */
    private static final double[] X = new double[LAYERS + 1];
    /** F[i] = f(X[i]) with f(x) = exp(-x^2 / 2). */
    private static final double[] F = new double[LAYERS + 1];
    /** X[i + 1] / X[i]: below this |u| a point is under the curve for sure. */
    private static final double[] INNER = new double[LAYERS];

    static {
        double fR = StrictMath.exp(-0.5 * R * R);
        X[0] = AREA / fR;
        X[1] = R;
        for (int i = 2; i < LAYERS; i++) {
            X[i] = StrictMath.sqrt(-2 * StrictMath.log(AREA / X[i - 1] + f(X[i - 1])));
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = f(X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            INNER[i] = X[i + 1] / X[i];
        }
    }

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** A stream whose whole state comes from seed via SplitMix64, as the xoshiro authors recommend. */
    public GaussianStream(long seed) {
        long z = seed;
        s0 = SeedMixer.mix64(z += SeedMixer.GAMMA);
        s1 = SeedMixer.mix64(z += SeedMixer.GAMMA);
        s2 = SeedMixer.mix64(z += SeedMixer.GAMMA);
        s3 = SeedMixer.mix64(z + SeedMixer.GAMMA);
    }

    private static double f(double x) {
        return StrictMath.exp(-0.5 * x * x);
    }

    /** xoshiro256++. */
    public long nextLong() {
        long result = Long.rotateLeft(s0 + s3, 23) + s0;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in the open interval (0, 1): the top 53 bits, offset by half a step so log never sees 0. */
    public double nextOpenUniform() {
        return ((nextLong() >>> 11) + 0.5) * 0x1.0p-53;
    }

    /** A standard normal variate. */
    public double nextGaussian() {
        while (true) {
            long bits = nextLong();
            int layer = (int) (bits & 0xFF);
            // bits 11..63 as a signed 53-bit integer: uniform on [-1, 1), disjoint from the layer bits
            double u = (bits >> 11) * 0x1.0p-52;
            if (Math.abs(u) < INNER[layer]) {
                return u * X[layer];
            }
            if (layer == 0) {
                return tail(u < 0);
            }
            double x = u * X[layer];
            double y = F[layer] + nextOpenUniform() * (F[layer + 1] - F[layer]);
            if (y < f(x)) {
                return x;
            }
        }
    }

    /** Marsaglia's (1964) exact sampler for the normal tail beyond R. */
    private double tail(boolean negative) {
        double x;
        double y;
        do {
            x = -StrictMath.log(nextOpenUniform()) / R;
            y = -StrictMath.log(nextOpenUniform());
        } while (2 * y < x * x);
        return negative ? -(R + x) : R + x;
    }
}

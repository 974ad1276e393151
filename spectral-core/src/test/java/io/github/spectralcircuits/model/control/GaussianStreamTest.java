package io.github.spectralcircuits.model.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

class GaussianStreamTest {

    @Test
    void xoshiroMatchesTheReferenceAlgorithmStepByStep() {
        // xoshiro256++ written out independently on a known state: s = (1, 2, 3, 4)
        // first output = rotl(1 + 4, 23) + 1 = 5 * 2^23 + 1
        GaussianStream s = streamWithState(1, 2, 3, 4);
        assertEquals(5L * (1L << 23) + 1, s.nextLong());
    }

    @Test
    void drawsAreStandardNormalByMomentsTailsAndKolmogorovSmirnov() {
        GaussianStream s = new GaussianStream(12345);
        int n = 1_000_000;
        double[] x = new double[n];
        double sum = 0;
        double sum2 = 0;
        double sum4 = 0;
        int beyond2 = 0;
        int beyondTail = 0;
        for (int i = 0; i < n; i++) {
            x[i] = s.nextGaussian();
            sum += x[i];
            sum2 += x[i] * x[i];
            sum4 += x[i] * x[i] * x[i] * x[i];
            if (Math.abs(x[i]) > 2) {
                beyond2++;
            }
            if (Math.abs(x[i]) > 3.6541528853610088) {
                beyondTail++;
            }
        }
        double mean = sum / n;
        double var = sum2 / n - mean * mean;
        assertEquals(0, mean, 5 / Math.sqrt(n));
        assertEquals(1, var, 5 * Math.sqrt(2.0 / n));
        assertEquals(3, sum4 / n, 5 * Math.sqrt(96.0 / n)); // var of z^4 is 105 - 9 = 96
        // P(|z| > 2) = 0.0455003; P(|z| > R) = 2.58e-4 (only the ziggurat's tail sampler gives these)
        double p2 = 2 * (1 - new NormalDistribution().cumulativeProbability(2));
        double pR = 2 * (1 - new NormalDistribution().cumulativeProbability(3.6541528853610088));
        assertEquals(p2 * n, beyond2, 5 * Math.sqrt(p2 * n));
        assertEquals(pR * n, beyondTail, 5 * Math.sqrt(pR * n));
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new NormalDistribution(), x);
        assertTrue(p > 1e-3, "KS p-value against N(0,1) is " + p);
    }

    @Test
    void sameSeedSameSequenceOtherSeedAnother() {
        GaussianStream a = new GaussianStream(7);
        GaussianStream b = new GaussianStream(7);
        GaussianStream c = new GaussianStream(8);
        int same = 0;
        for (int i = 0; i < 1000; i++) {
            double va = a.nextGaussian();
            assertEquals(Double.doubleToRawLongBits(va), Double.doubleToRawLongBits(b.nextGaussian()));
            if (va == c.nextGaussian()) {
                same++;
            }
        }
        assertEquals(0, same);
    }

    private static GaussianStream streamWithState(long... state) {
        GaussianStream s = new GaussianStream(0);
        try {
            for (int i = 0; i < 4; i++) {
                var f = GaussianStream.class.getDeclaredField("s" + i);
                f.setAccessible(true);
                f.setLong(s, state[i]);
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return s;
    }
}

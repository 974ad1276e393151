package io.github.spectralcircuits.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SPEC section 4's table on a spectrum small enough to work out by hand. */
class CircuitStatisticsTest {
    // V = 6; listed eigenvalues 3, 1+2i, 1-2i, -2 (the other two are structural zeros)
    private static final Eigenvalues EIG = new Eigenvalues(new double[] {3, 1, 1, -2}, new double[] {0, 2, -2, 0});
    private static final double[] SV = {4, 2, 1, 0};

    @Test
    void everyStatisticMatchesItsDefinition() {
        CircuitStats s = CircuitStatistics.of(6, EIG, SV, 1e-3, 1e-6);
        assertEquals(3.0, s.trace(), 1e-15);
        assertEquals(0.5, s.mean(), 1e-15);
        // Re over all 6: 3, 1, 1, -2, 0, 0; squared deviations from 0.5 sum to 13.5; population variance 2.25
        assertEquals(1.5, s.std(), 1e-15);
        assertEquals(0.5, s.median(), 1e-15); // sorted: -2, 0, 0, 1, 1, 3
        assertEquals(2.0 / 6, s.nearZeroRatio(), 1e-15); // only the structural zeros
        assertEquals(3, s.numericalRank());
        double entropy = -(4.0 / 7 * Math.log(4.0 / 7) + 2.0 / 7 * Math.log(2.0 / 7) + 1.0 / 7 * Math.log(1.0 / 7));
        assertEquals(Math.exp(entropy), s.effectiveRank(), 1e-14);
        assertEquals(21.0 / 16, s.stableRank(), 1e-15);
        assertEquals(4.0, s.spectralNorm(), 0);
        assertEquals(Math.sqrt(21), s.frobeniusNorm(), 1e-15);
        assertEquals(3 / (3 + 2 * Math.sqrt(5) + 2), s.positivity(), 1e-15);
    }

    @Test
    void tolerancesAreRelativeToTheLargestModulusAndSingularValue() {
        CircuitStats s = CircuitStatistics.of(6, EIG, SV, 0.7, 0.3);
        assertEquals(3.0 / 6, s.nearZeroRatio(), 1e-15); // |-2| <= 0.7 * 3, |1+-2i| = 2.236 > 2.1
        assertEquals(2, s.numericalRank()); // sigma > 1.2
    }

    @Test
    void medianOfAnOddDimensionIsTheMiddleValue() {
        CircuitStats s = CircuitStatistics.of(5, new Eigenvalues(new double[] {-1, -3}, new double[] {0, 0}), new double[] {3, 1}, 1e-3, 1e-6);
        assertEquals(0.0, s.median(), 0); // -3, -1, 0, 0, 0
        assertEquals(-1.0, s.positivity(), 1e-15);
    }

    @Test
    void anAllZeroCircuitHasNoNaN() {
        CircuitStats s = CircuitStatistics.of(4, new Eigenvalues(new double[] {0, 0}, new double[] {0, 0}), new double[] {0, 0}, 1e-3, 1e-6);
        for (String metric : CircuitStats.METRICS) {
            double v = s.metric(metric);
            assertEquals(false, Double.isNaN(v) || Double.isInfinite(v), metric + " = " + v);
        }
        assertEquals(1.0, s.nearZeroRatio());
        assertEquals(0, s.numericalRank());
        assertEquals(0.0, s.effectiveRank());
        assertEquals(0.0, s.stableRank());
        assertEquals(0.0, s.positivity());
    }

    @Test
    void medianCountsTheStructuralZerosBetweenNegativeAndPositiveValues() {
        double[] sv = {5, 4, 1};
        // all four: -1, 0, 4, 5
        assertEquals(2.0, CircuitStatistics.of(4, new Eigenvalues(new double[] {5, 4, -1}, new double[3]), sv, 1e-3, 1e-6).median(), 0);
        // all three: -5, -4, 0
        assertEquals(-4.0, CircuitStatistics.of(3, new Eigenvalues(new double[] {-5, -4}, new double[2]), sv, 1e-3, 1e-6).median(), 0);
        // all five: -3, 0, 0, 0 (listed), 2
        assertEquals(0.0, CircuitStatistics.of(5, new Eigenvalues(new double[] {-3, 2, 0}, new double[3]), sv, 1e-3, 1e-6).median(), 0);
        // all four, no structural zero: -3, -1, 2, 7
        assertEquals(0.5, CircuitStatistics.of(4, new Eigenvalues(new double[] {7, -3, 2, -1}, new double[4]), new double[] {7, 3, 2, 1},
                1e-3, 1e-6).median(), 0);
    }
}

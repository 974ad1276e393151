package io.github.spectralcircuits.spectra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class EigenvalueOrderTest {

    @Test
    void descendingModulusThenRealThenImaginary() {
        double s = Math.sqrt(2);
        Eigenvalues e = EigenvalueOrder.sorted(
                new double[] {1, -2, 0.5, 1, 2, 0, -s},
                new double[] {-1, 0, 0, 1, 0, 0, 0});
        assertArrayEquals(new double[] {2, -2, 1, 1, -s, 0.5, 0}, e.re());
        assertArrayEquals(new double[] {0, 0, 1, -1, 0, 0, 0}, e.im());
    }

    @Test
    void roundingLevelDifferencesDoNotSplitAConjugatePair() {
        // The -i member has a real part and modulus larger by a few ulps: it still comes second.
        Eigenvalues e = EigenvalueOrder.sorted(new double[] {1 + 1e-14, 1, 0.1}, new double[] {-1, 1, 0});
        assertArrayEquals(new double[] {1, 1 + 1e-14, 0.1}, e.re());
        assertArrayEquals(new double[] {1, -1, 0}, e.im());
    }
}

package io.github.spectralcircuits;

import java.util.Set;

/**
 * Every knob of one analysis (SPEC sections 4, 5, 7), serialised as the report's "settings".
 * Empty layer/head sets mean "all".
 */
public record AnalysisSettings(
        boolean foldNorms,
        double nearZeroTolerance,
        double rankTolerance,
        boolean control,
        long controlSeed,
        double highRankFraction,
        double zThreshold,
        Set<Integer> layers,
        Set<Integer> heads,
        boolean verifyDense,
        double denseTolerance) {

    public AnalysisSettings {
        layers = Set.copyOf(layers);
        heads = Set.copyOf(heads);
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(true, 1e-3, 1e-6, true, 42L, 0.5, 3.0, Set.of(), Set.of(), false, 1e-6);
    }

    /**
     * These settings, checked as a user wrote them: the tolerances and the high-rank fraction are fractions in
     * [0, 1), the threshold a positive number of standard deviations.
     *
     * @throws SpectralException naming the parameter (as a {@link ParameterNames} reference) and a good value
     */
    public AnalysisSettings validated() {
        fraction("nearZeroTolerance", nearZeroTolerance, "1e-3");
        fraction("rankTolerance", rankTolerance, "1e-6");
        fraction("highRankFraction", highRankFraction, "0.5");
        if (!(zThreshold > 0) || Double.isInfinite(zThreshold)) {
            throw new SpectralException(ParameterNames.ref("zThreshold") + " is " + zThreshold + "; it must be a "
                    + "positive number of standard deviations, such as 3.");
        }
        return this;
    }

    private static void fraction(String name, double v, String example) {
        if (!(v >= 0 && v < 1)) {
            throw new SpectralException(ParameterNames.ref(name) + " is " + v + "; it must be a fraction in [0, 1), "
                    + "for example " + example + ".");
        }
    }

    public boolean includesLayer(int layer) {
        return layers.isEmpty() || layers.contains(layer);
    }

    public boolean includesHead(int head) {
        return heads.isEmpty() || heads.contains(head);
    }

    public AnalysisSettings withFoldNorms(boolean v) {
        return new AnalysisSettings(v, nearZeroTolerance, rankTolerance, control, controlSeed, highRankFraction,
                zThreshold, layers, heads, verifyDense, denseTolerance);
    }

    public AnalysisSettings withControl(boolean v) {
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, v, controlSeed, highRankFraction,
                zThreshold, layers, heads, verifyDense, denseTolerance);
    }

    public AnalysisSettings withVerifyDense(boolean v) {
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, control, controlSeed, highRankFraction,
                zThreshold, layers, heads, v, denseTolerance);
    }
}

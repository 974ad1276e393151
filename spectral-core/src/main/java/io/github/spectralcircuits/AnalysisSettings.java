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
        double denseTolerance,
        ReadoutSettings readouts) {

    public AnalysisSettings {
        layers = Set.copyOf(layers);
        heads = Set.copyOf(heads);
        readouts = readouts == null ? ReadoutSettings.defaults() : readouts;
    }

    /** The settings before token readouts and composition scores, with their defaults. */
    public AnalysisSettings(boolean foldNorms, double nearZeroTolerance, double rankTolerance, boolean control,
                            long controlSeed, double highRankFraction, double zThreshold, Set<Integer> layers,
                            Set<Integer> heads, boolean verifyDense, double denseTolerance) {
        this(foldNorms, nearZeroTolerance, rankTolerance, control, controlSeed, highRankFraction, zThreshold, layers,
                heads, verifyDense, denseTolerance, ReadoutSettings.defaults());
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(true, 1e-3, 1e-6, true, 42L, 0.5, 3.0, Set.of(), Set.of(), false, 1e-6,
                ReadoutSettings.defaults());
    }

    public boolean includesLayer(int layer) {
        return layers.isEmpty() || layers.contains(layer);
    }

    public boolean includesHead(int head) {
        return heads.isEmpty() || heads.contains(head);
    }

    public AnalysisSettings withFoldNorms(boolean v) {
        return new AnalysisSettings(v, nearZeroTolerance, rankTolerance, control, controlSeed, highRankFraction,
                zThreshold, layers, heads, verifyDense, denseTolerance, readouts);
    }

    public AnalysisSettings withControl(boolean v) {
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, v, controlSeed, highRankFraction,
                zThreshold, layers, heads, verifyDense, denseTolerance, readouts);
    }

    public AnalysisSettings withVerifyDense(boolean v) {
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, control, controlSeed, highRankFraction,
                zThreshold, layers, heads, v, denseTolerance, readouts);
    }

    public AnalysisSettings withReadouts(ReadoutSettings r) {
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, control, controlSeed, highRankFraction,
                zThreshold, layers, heads, verifyDense, denseTolerance, r);
    }
}

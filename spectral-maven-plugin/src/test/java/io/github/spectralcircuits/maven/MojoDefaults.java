package io.github.spectralcircuits.maven;

import java.io.File;

/** What Maven would inject from the @Parameter defaults, for mojos built by hand in tests. */
final class MojoDefaults {
    private MojoDefaults() {
    }

    /** The weights fingerprint planted analyses record and planted weights have. */
    static final io.github.spectralcircuits.io.WeightsFingerprint PLANTED_WEIGHTS =
            new io.github.spectralcircuits.io.WeightsFingerprint("test", "0123456789abcdef", 4, 1024);

    /** The analysing goals' defaults (control on, seed 42, ...) with the given model and output directory. */
    static <T extends AbstractAnalysisMojo> T analysisDefaults(T mojo, File model, File outputDirectory) {
        mojo.model = model.getPath();
        mojo.outputDirectory = outputDirectory;
        mojo.foldNorms = true;
        mojo.nearZeroTolerance = 1e-3;
        mojo.rankTolerance = 1e-6;
        mojo.control = true;
        mojo.controlSeed = 42;
        mojo.highRankFraction = 0.5;
        mojo.zThreshold = 3;
        mojo.reanalyze = true;
        mojo.nativeBlas = "auto";
        return mojo;
    }
}

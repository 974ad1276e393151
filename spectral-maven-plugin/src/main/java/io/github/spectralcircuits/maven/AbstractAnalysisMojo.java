package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.IndexRanges;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that run the analysis: its settings (SPEC sections 4-5) and the one call into the core. */
public abstract class AbstractAnalysisMojo extends AbstractSpectralMojo {
    /** Folds the gains of the norms before attention and before the unembedding into the weights. */
    @Parameter(property = "spectral.foldNorms", defaultValue = "true")
    protected boolean foldNorms;

    /** An eigenvalue counts as near zero when |lambda| <= nearZeroTolerance * max|lambda|. */
    @Parameter(property = "spectral.nearZeroTolerance", defaultValue = "1e-3")
    protected double nearZeroTolerance;

    /** numericalRank counts singular values above rankTolerance * sigma_1. */
    @Parameter(property = "spectral.rankTolerance", defaultValue = "1e-6")
    protected double rankTolerance;

    /**
     * Builds the random control model and compares against it. The spectra goal never builds it and
     * the compare goal always does; analyze and check follow this switch.
     */
    @Parameter(property = "spectral.control", defaultValue = "true")
    protected boolean control;

    /** Seed of the control model's random weights. */
    @Parameter(property = "spectral.controlSeed", defaultValue = "42")
    protected long controlSeed;

    /** H0 "the circuit is high-rank" means numericalRank >= highRankFraction * V. */
    @Parameter(property = "spectral.highRankFraction", defaultValue = "0.5")
    protected double highRankFraction;

    /** A head is a "thinking head" when a metric lies more than zThreshold control SDs from the control mean. */
    @Parameter(property = "spectral.zThreshold", defaultValue = "3")
    protected double zThreshold;

    /** An earlier spectral-report.json to measure drift against (CI regression checks). */
    @Parameter(property = "spectral.baseline")
    protected File baseline;

    /** Layers to analyse, 0-based, e.g. "0-3,5"; empty for all. */
    @Parameter(property = "spectral.layers")
    protected String layers;

    /** Heads to analyse in each selected layer, 0-based, e.g. "0-7"; empty for all. */
    @Parameter(property = "spectral.heads")
    protected String heads;

    /** Also materialises every V x V circuit densely and checks the factored spectra against it (small V only). */
    @Parameter(property = "spectral.verifyDense", defaultValue = "false")
    protected boolean verifyDense;

    /** The core call; a field so that tests can put a planted analysis in its place. */
    Analysis analysis = SpectralAnalysis::run;

    @FunctionalInterface
    interface Analysis {
        SpectralReport run(Path model, AnalysisSettings settings, Path baseline, ProgressListener progress);
    }

    /** The settings as configured, with the control switched as the goal needs it. */
    protected AnalysisSettings settings(boolean withControl) {
        checkFraction("nearZeroTolerance", nearZeroTolerance);
        checkFraction("rankTolerance", rankTolerance);
        checkFraction("highRankFraction", highRankFraction);
        if (!(zThreshold > 0) || Double.isInfinite(zThreshold)) {
            throw new SpectralException("spectral.zThreshold is " + zThreshold + "; it must be a positive number "
                    + "of standard deviations, such as 3.");
        }
        AnalysisSettings d = AnalysisSettings.defaults();
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, withControl, controlSeed,
                highRankFraction, zThreshold, IndexRanges.parse(layers, "spectral.layers"),
                IndexRanges.parse(heads, "spectral.heads"), verifyDense, d.denseTolerance());
    }

    private static void checkFraction(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new SpectralException("spectral." + name + " is " + v + "; it must be a fraction in [0, 1), "
                    + "for example " + (name.equals("rankTolerance") ? "1e-6" : name.equals("nearZeroTolerance")
                    ? "1e-3" : "0.5") + ".");
        }
    }

    /** The baseline report's path, checked to exist; null when none is configured. */
    protected Path baselinePath() {
        if (baseline == null) {
            return null;
        }
        Path p = baseline.toPath().toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new SpectralException("The baseline report " + p + " (spectral.baseline) does not exist or is "
                    + "not a file; point it at a spectral-report.json from an earlier run, or leave it unset.");
        }
        return p;
    }

    /** Runs the whole analysis in the core, logging per-layer progress. Writes nothing. */
    protected SpectralReport analyse(AnalysisSettings settings) {
        Path m = modelPath();
        getLog().info("Analysing " + m + (settings.control() ? " against a random control (seed "
                + settings.controlSeed() + ")" : "") + (baseline != null ? " and the baseline " + baselinePath() : ""));
        SpectralReport report;
        try {
            report = analysis.run(m, settings, baselinePath(), progress());
            if (report == null || report.trained() == null) {
                throw new IllegalStateException("the analysis returned no trained spectra");
            }
        } catch (SpectralException e) {
            throw new SpectralException(e.getMessage() + earlierReportNote(), e);
        }
        return report;
    }

    /**
     * A failed run leaves the report of an earlier good run exactly as it was (nothing of it is removed,
     * nothing partial replaces it), and says so, so that nobody takes it for this run's result.
     */
    private String earlierReportNote() {
        Path earlier = ReportFiles.reportFile(outputPath());
        return Files.exists(earlier) ? " (The report " + earlier + " from an earlier run was left unchanged; it does "
                + "not describe this failed run.)" : "";
    }

    /** "12 of 40 heads (15 circuits) stand out from the control": thinking heads are listed per circuit. */
    protected void logThinkingHeads(SpectralReport report) {
        if (report.thinkingHeads() == null || report.trained() == null) {
            return;
        }
        long heads = report.thinkingHeads().stream().map(t -> t.layer() + "/" + t.head()).distinct().count();
        getLog().info(heads + " of " + report.trained().heads().size() + " heads (" + report.thinkingHeads().size()
                + " circuits) stand out from the control by more than " + zThreshold + " control standard deviations");
    }

    /** Writes the report atomically and says where. */
    protected Path write(SpectralReport report) {
        Path file = ReportFiles.write(report, outputPath());
        getLog().info("Wrote " + file + " (" + report.trained().heads().size() + " heads, QK and OV)");
        return file;
    }
}

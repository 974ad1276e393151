package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.pipeline.ReportFreshness;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.IndexRanges;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.pipeline.ForkHeap;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.artifact.Artifact;
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

    /**
     * The least calibrated |z| of a thinking head (a circuit that stands out among the model's own heads); the
     * threshold corrected for testing every circuit is usually higher, and the report states both.
     */
    @Parameter(property = "spectral.zThreshold", defaultValue = "3")
    protected double zThreshold;

    /** An earlier spectral-report.json to measure drift against (CI regression checks). */
    @Parameter(property = "spectral.baseline")
    protected File baseline;

    /**
     * A model of the same architecture to compare head by head (a base model and its fine-tune, two checkpoints):
     * its directory. The report gains changedHeads, ranked by how much each circuit changed, and rules can bound it
     * with maximumChangeFromReference. A Hugging Face hub id (org/name[@revision]) is read offline from the local
     * cache, as the model's is.
     */
    @Parameter(property = "spectral.reference")
    protected String reference;

    /** Layers to analyse, 0-based, e.g. "0-3,5"; empty for all. */
    @Parameter(property = "spectral.layers")
    protected String layers;

    /** Heads to analyse in each selected layer, 0-based, e.g. "0-7"; empty for all. */
    @Parameter(property = "spectral.heads")
    protected String heads;

    /** Also materialises every V x V circuit densely and checks the factored spectra against it (small V only). */
    @Parameter(property = "spectral.verifyDense", defaultValue = "false")
    protected boolean verifyDense;

    /**
     * Token readouts (each head's top copying tokens and singular directions in tokens, strings from the model's
     * tokenizer.json): on, off, or auto, which computes them when they are cheap (small vocabularies: they cost
     * one product of the whole vocabulary with about 2 d_model columns per layer).
     */
    @Parameter(property = "spectral.tokenReadouts", defaultValue = "auto")
    protected String tokenReadouts;

    /** Tokens per readout list (topCopyingTokens, each singular direction's input and output tokens). */
    @Parameter(property = "spectral.topTokens", defaultValue = "10")
    protected int topTokens;

    /** Singular directions read in tokens per circuit, from the largest singular value down. */
    @Parameter(property = "spectral.singularDirections", defaultValue = "3")
    protected int singularDirections;

    /** Q-, K- and V-composition scores between the heads of different layers (TransformerLens's definition). */
    @Parameter(property = "spectral.composition", defaultValue = "true")
    protected boolean composition;

    /** Highest-scoring head pairs per composition mode listed in the report (the chart shows all pairs). */
    @Parameter(property = "spectral.compositionTop", defaultValue = "100")
    protected int compositionTop;

    /**
     * Runs the analysis in a JVM of its own (the java running Maven), which gets the SIMD kernels of the
     * Vector API without any MAVEN_OPTS, a fresh JIT and the heap of spectral.forkHeap. false runs it inside
     * Maven's JVM, whose heap and modules (MAVEN_OPTS, .mvn/jvm.config) it then shares.
     */
    @Parameter(property = "spectral.fork", defaultValue = "true")
    protected boolean fork;

    /**
     * Maximum heap of the forked analysis JVM, as java's -Xmx takes it (such as 3g). Unset, it is sized from the
     * model's shapes (at least 1g; about 2.5g for 7B shapes), and a model that needs more memory than the
     * machine has available is refused before anything starts.
     */
    @Parameter(property = "spectral.forkHeap")
    protected String forkHeap;

    /**
     * The large products on OpenBLAS (bundled for Linux x86-64): auto for models whose products make it pay
     * (about 7B shapes), true always, false never (the own Java kernels; the spectra agree to 1e-12).
     */
    @Parameter(property = "spectral.nativeBlas", defaultValue = "auto")
    protected String nativeBlas;

    /** More options for the forked analysis JVM, separated by spaces (for example "-XX:+UseParallelGC"). */
    @Parameter(property = "spectral.forkArgs")
    protected String forkArgs;

    /**
     * When a report already in the output directory (check) or read by the report page no longer matches
     * the model, the settings or the weights: true analyses anew, false fails with what changed.
     */
    @Parameter(property = "spectral.reanalyze", defaultValue = "true")
    protected boolean reanalyze;

    /** The plugin's resolved jars: the forked JVM's class path is taken from them. */
    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    protected List<Artifact> pluginArtifacts;

    /** The core call of the in-process path; a field so that tests can put a planted analysis in its place. */
    AnalysisJob.Analysis analysis = SpectralAnalysis::runAgainst;

    /** The fingerprint of a model directory's weights now; a field so that tests can plant one. */
    java.util.function.Function<Path, WeightsFingerprint> weights = ReportFreshness::fingerprintOf;

    /** The settings as configured, with the control switched as the goal needs it. */
    protected AnalysisSettings settings(boolean withControl) {
        AnalysisSettings d = AnalysisSettings.defaults();
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, withControl, controlSeed,
                highRankFraction, zThreshold, IndexRanges.parse(layers, ParameterNames.ref("layers")),
                IndexRanges.parse(heads, ParameterNames.ref("heads")), verifyDense, d.denseTolerance(),
                new ReadoutSettings(tokenReadouts, topTokens, singularDirections, composition, compositionTop)).validated();
    }

    /**
     * Whether the report still describes what this goal would compute; when it does not, either says so and
     * returns false (the caller analyses anew), or, with reanalyze off, fails with what changed.
     */
    protected boolean current(SpectralReport report, Path file, AnalysisSettings settings, ReportFreshness.Use use) {
        List<String> differences = ReportFreshness.differences(report, modelPath(), settings, use,
                () -> weights.apply(modelPath()));
        if (differences.isEmpty()) {
            return true;
        }
        String what = MavenStyle.render(ReportFreshness.describe(differences));
        if (!reanalyze) {
            throw new SpectralException("The report " + file + " does not describe this build: " + what + ". Run "
                    + "spectral:analyze again to bring it up to date, or leave spectral.reanalyze at true (the "
                    + "default) so that this goal analyses anew.");
        }
        getLog().info(file + " does not describe this build (" + what + "): analysing anew.");
        return false;
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

    /**
     * Runs the analysis and writes spectral-report.json (with the rules' results as its checks when rules is
     * not null, and the charts when asked): in a forked JVM, or here with spectral.fork=false. Returns the
     * report as written. A failure writes nothing and leaves an earlier report as it was.
     */
    protected Written analyseAndWrite(AnalysisSettings settings, List<Rule> rules, boolean charts) {
        Path m = modelPath();
        Path base = baselinePath();
        getLog().info("Analysing " + m + (settings.control() ? " against a random control (seed "
                + settings.controlSeed() + ")" : "") + (base != null ? " and the baseline " + base : "")
                + (referenceOrNull() != null ? ", compared with the reference " + referenceOrNull() : "")
                + (fork ? "" : " in Maven's JVM"));
        AnalysisRequest request = AnalysisRequest.of(m, settings, base, outputPath(), rules, charts)
                .withReference(referenceOrNull())
                .withNativeBlas(nativeBlas);
        try {
            if (fork) {
                Path file = forkedAnalysis().run(request, line -> getLog().info(MavenStyle.render(line)),
                        getLog()::debug);
                return new Written(file, null);
            }
            AnalysisJob.Result result = AnalysisJob.run(request, analysis, progress());
            return new Written(result.reportFile(), result.report());
        } catch (SpectralException e) {
            throw new SpectralException(e.rawMessage() + earlierReportNote(), e);
        }
    }

    /** The reference model as configured, blank taken as none. */
    protected String referenceOrNull() {
        return reference == null || reference.isBlank() ? null : reference.strip();
    }

    /** The forked analysis as configured (heap, options, the plugin's jars). */
    protected ForkedAnalysis forkedAnalysis() {
        String heap = forkHeap;
        if (heap == null || heap.isBlank()) {
            ForkHeap sized = ForkHeap.forModel(modelPath(), settings(control), referenceOrNull() != null);
            getLog().info("Forked analysis heap: " + sized.reason());
            heap = sized.heap();
        }
        return new ForkedAnalysis(heap, forkArgs, ForkClasspath.of(pluginArtifacts));
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

    /**
     * The report an analysis wrote, with the rules' results in its checks. A forked run's is read back from
     * its file only when a goal needs it (for the rules): in a JVM that has just loaded the plugin, reading a
     * large report costs a noticeable fraction of a second.
     */
    static final class Written {
        private final Path file;
        private SpectralReport report;

        Written(Path file, SpectralReport report) {
            this.file = file;
            this.report = report;
        }

        Path file() {
            return file;
        }

        SpectralReport report() {
            if (report == null) {
                report = ReportFiles.read(file);
            }
            return report;
        }
    }

    /** Writes the report atomically and says where. */
    protected Path write(SpectralReport report) {
        Path file = ReportFiles.write(report, outputPath());
        getLog().info("Wrote " + file + " (" + report.trained().heads().size() + " heads, QK and OV)");
        return file;
    }
}

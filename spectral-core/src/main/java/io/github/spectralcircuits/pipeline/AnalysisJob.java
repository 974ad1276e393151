package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.check.CheckOutcome;
import io.github.spectralcircuits.check.RuleEvaluator;
import io.github.spectralcircuits.compare.Baseline;
import io.github.spectralcircuits.linalg.NativeBlas;
import io.github.spectralcircuits.report.ReportWriter;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.report.charts.ChartRenderer;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything an analysing goal does before it concludes: the analysis, the rules' results put into the
 * report, the report written atomically, the charts, the count of thinking heads. The same steps run in Maven's JVM and in a forked
 * one, so both write byte-for-byte the same files and log the same lines. Nothing is written when the
 * analysis fails.
 */
public final class AnalysisJob {
    private AnalysisJob() {
    }

    /** The pipeline call; SpectralAnalysis::runAgainst, or a planted analysis in tests. */
    @FunctionalInterface
    public interface Analysis {
        SpectralReport run(Path model, AnalysisSettings settings, Baseline baseline, ProgressListener progress);
    }

    /** What was written: the report as written (with its checks), its file, and the charts. */
    public record Result(SpectralReport report, Path reportFile, List<Path> charts, CheckOutcome checks) {
    }

    public static Result run(AnalysisRequest request) {
        return run(request, SpectralAnalysis::runAgainst, ProgressListener.NONE);
    }

    public static Result run(AnalysisRequest request, Analysis analysis, ProgressListener progress) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        if (request.rules() != null) {
            // a rule that needs a baseline or reference nobody gave fails now, not after the analysis
            RuleEvaluator.validate(request.rules(), request.baseline() != null, request.reference() != null);
        }
        if (request.reference() != null) {
            ReferenceModels.checkBeforeAnalysis(request.modelPath(), request.reference(), request.settings());
        }
        Baseline baseline = SpectralAnalysis.readBaseline(request.baselinePath());
        NativeBlas.choose(request.nativeBlas());
        SpectralReport report = analysis.run(request.modelPath(), request.settings(), baseline, log);
        if (report == null || report.trained() == null) {
            throw new IllegalStateException("the analysis returned no trained spectra");
        }
        if (request.reference() != null) {
            report = ReferenceModels.compare(report, request.modelPath(), request.reference(), request.settings(), log);
        }
        CheckOutcome checks = null;
        if (request.rules() != null) {
            checks = RuleEvaluator.evaluate(request.rules(), report.trained(), baseline == null ? null : baseline.trained(),
                    report.changedHeads());
            report = withChecks(report, checks);
        }
        Path file = ReportWriter.write(report, request.outputPath());
        log.info("Wrote " + file + " (" + report.trained().heads().size() + " heads, QK and OV)");
        List<Path> charts = List.of();
        if (request.charts()) {
            charts = ChartRenderer.renderAll(report, request.outputPath());
            if (!charts.isEmpty()) {
                log.info("Wrote " + charts.size() + " charts to " + request.outputPath());
            }
        }
        if (report.thinkingHeads() != null) {
            log.info(thinkingHeadsLine(report));
        }
        log.info(MemoryUse.summary());
        return new Result(report, file, charts, checks);
    }

    /** "2 of 40 heads (3 circuits) stand out among the model's heads ...": thinking heads are listed per circuit. */
    public static String thinkingHeadsLine(SpectralReport report) {
        long heads = report.thinkingHeads().stream().map(t -> t.layer() + "/" + t.head()).distinct().count();
        String line = heads + " of " + report.trained().heads().size() + " heads (" + report.thinkingHeads().size()
                + " circuits) stand out among the model's heads (thinking heads";
        var test = report.thinkingHeadsCriterion();
        if (test != null && Double.isFinite(test.threshold())) {
            line += String.format(java.util.Locale.ROOT, ": calibrated robust |z| > %.2f, false discovery rate %.2g",
                    test.threshold(), test.falseDiscoveryRate());
        }
        return line + ")";
    }

    /** The report with the rules' results as its "checks". */
    public static SpectralReport withChecks(SpectralReport report, CheckOutcome outcome) {
        return report.withChecks(outcome.results());
    }
}

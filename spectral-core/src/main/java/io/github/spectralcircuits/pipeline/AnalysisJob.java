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
        Baseline baseline = SpectralAnalysis.readBaseline(request.baselinePath());
        NativeBlas.choose(request.nativeBlas());
        SpectralReport report = analysis.run(request.modelPath(), request.settings(), baseline, log);
        if (report == null || report.trained() == null) {
            throw new IllegalStateException("the analysis returned no trained spectra");
        }
        CheckOutcome checks = null;
        if (request.rules() != null) {
            checks = RuleEvaluator.evaluate(request.rules(), report.trained(), baseline == null ? null : baseline.trained());
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
            log.info(thinkingHeadsLine(report, request.settings().zThreshold()));
        }
        log.info(MemoryUse.summary());
        return new Result(report, file, charts, checks);
    }

    /** "12 of 40 heads (15 circuits) stand out from the control ...": thinking heads are listed per circuit. */
    public static String thinkingHeadsLine(SpectralReport report, double zThreshold) {
        long heads = report.thinkingHeads().stream().map(t -> t.layer() + "/" + t.head()).distinct().count();
        return heads + " of " + report.trained().heads().size() + " heads (" + report.thinkingHeads().size()
                + " circuits) stand out from the control by more than " + zThreshold + " control standard deviations";
    }

    /** The report with the rules' results as its "checks". */
    public static SpectralReport withChecks(SpectralReport report, CheckOutcome outcome) {
        return report.withChecks(outcome.results());
    }
}

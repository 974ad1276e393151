package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.SpectralAnalysis;
import io.github.spectralcircuits.check.CheckOutcome;
import io.github.spectralcircuits.check.RuleEvaluator;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.ReportWriter;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.report.charts.ChartRenderer;
import io.github.spectralcircuits.report.charts.EncodedChart;
import io.github.spectralcircuits.report.charts.RenderedChart;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Everything an analysing goal does before it concludes: the analysis, the rules' results put into the
 * report, the report written atomically, the charts, the count of thinking heads. The same steps run in Maven's JVM and in a forked
 * one, so both write byte-for-byte the same files and log the same lines. Nothing is written when the
 * analysis fails.
 */
public final class AnalysisJob {
    private AnalysisJob() {
    }

    /** The pipeline call; SpectralAnalysis::run, or a planted analysis in tests. */
    @FunctionalInterface
    public interface Analysis {
        SpectralReport run(Path model, AnalysisSettings settings, Path baseline, ProgressListener progress);
    }

    /** What was written: the report as written (with its checks), its file, and the charts. */
    public record Result(SpectralReport report, Path reportFile, List<Path> charts, CheckOutcome checks) {
    }

    public static Result run(AnalysisRequest request) {
        return run(request, SpectralAnalysis::run, ProgressListener.NONE);
    }

    public static Result run(AnalysisRequest request, Analysis analysis, ProgressListener progress) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        SpectralReport report = analysis.run(request.modelPath(), request.settings(), request.baselinePath(), log);
        if (report == null || report.trained() == null) {
            throw new IllegalStateException("the analysis returned no trained spectra");
        }
        CheckOutcome checks = null;
        if (request.rules() != null) {
            SpectralReport baseline = request.baseline() == null ? null : ReportReader.read(request.baselinePath());
            checks = RuleEvaluator.evaluate(request.rules(), report, baseline);
            report = withChecks(report, checks);
        }
        // The charts are drawn and encoded while the report is serialised (both are mostly a fresh JVM's
        // first use of their code), and written only once the report is.
        FutureTask<List<EncodedChart>> drawing = null;
        if (request.charts()) {
            SpectralReport finished = report;
            drawing = new FutureTask<>(() -> ChartRenderer.encode(finished));
            Thread drawer = new Thread(drawing, "spectral-charts");
            drawer.setDaemon(true);
            drawer.start();
        }
        Path file;
        try {
            file = ReportWriter.write(report, request.outputPath());
        } catch (RuntimeException | Error e) {
            if (drawing != null) {
                drawing.cancel(true);
            }
            throw e;
        }
        log.info("Wrote " + file + " (" + report.trained().heads().size() + " heads, QK and OV)");
        List<Path> charts = List.of();
        if (drawing != null) {
            charts = ChartRenderer.writeAll(drawn(drawing), request.outputPath()).stream()
                    .map(RenderedChart::file).toList();
            if (!charts.isEmpty()) {
                log.info("Wrote " + charts.size() + " charts to " + request.outputPath());
            }
        }
        if (report.thinkingHeads() != null) {
            log.info(thinkingHeadsLine(report, request.settings().zThreshold()));
        }
        return new Result(report, file, charts, checks);
    }

    private static List<EncodedChart> drawn(FutureTask<List<EncodedChart>> drawing) {
        try {
            return drawing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpectralException("The analysis was interrupted while its charts were drawn.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("drawing the charts failed", cause);
        }
    }

    /** "12 of 40 heads (15 circuits) stand out from the control ...": thinking heads are listed per circuit. */
    public static String thinkingHeadsLine(SpectralReport report, double zThreshold) {
        long heads = report.thinkingHeads().stream().map(t -> t.layer() + "/" + t.head()).distinct().count();
        return heads + " of " + report.trained().heads().size() + " heads (" + report.thinkingHeads().size()
                + " circuits) stand out from the control by more than " + zThreshold + " control standard deviations";
    }

    /** The report with the rules' results as its "checks". */
    public static SpectralReport withChecks(SpectralReport report, CheckOutcome outcome) {
        return new SpectralReport(report.schemaVersion(), report.model(), report.settings(), report.trained(),
                report.control(), report.comparison(), report.thinkingHeads(), report.baselineDrift(),
                outcome.results());
    }
}

package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.Rule;
import java.nio.file.Path;
import java.util.List;

/**
 * One analysis as a front end asks for it: what to analyse, how, and what to write. It is the whole
 * input of {@link AnalysisJob}; the command line (launch.SpectralCli) builds one from its options.
 *
 * @param model           the model directory (absolute)
 * @param settings        every knob of the analysis
 * @param baseline        an earlier spectral-report.json to measure drift against, or null
 * @param outputDirectory where spectral-report.json (and the charts) go
 * @param rules           rules whose results go into the report's "checks"; null for a report without checks
 * @param charts          also draw the PNG charts next to the report
 * @param reference       a model of the same architecture to compare head by head (a directory; hub ids to come,
 *                        see {@link ReferenceModels#resolve}), or null
 */
public record AnalysisRequest(String model, AnalysisSettings settings, String baseline, String outputDirectory,
                              List<Rule> rules, boolean charts, String reference) {

    public AnalysisRequest {
        rules = rules == null ? null : List.copyOf(rules);
    }

    /** A request without a reference model. */
    public AnalysisRequest(String model, AnalysisSettings settings, String baseline, String outputDirectory,
                           List<Rule> rules, boolean charts) {
        this(model, settings, baseline, outputDirectory, rules, charts, null);
    }

    /** This request with a reference model to compare against (null for none). */
    public AnalysisRequest withReference(String newReference) {
        return new AnalysisRequest(model, settings, baseline, outputDirectory, rules, charts, newReference);
    }

    public static AnalysisRequest of(Path model, AnalysisSettings settings, Path baseline, Path outputDirectory,
                                     List<Rule> rules, boolean charts) {
        return new AnalysisRequest(model.toString(), settings, baseline == null ? null : baseline.toString(),
                outputDirectory.toString(), rules, charts);
    }

    public Path modelPath() {
        return Path.of(model);
    }

    public Path baselinePath() {
        return baseline == null ? null : Path.of(baseline);
    }

    public Path outputPath() {
        return Path.of(outputDirectory);
    }
}

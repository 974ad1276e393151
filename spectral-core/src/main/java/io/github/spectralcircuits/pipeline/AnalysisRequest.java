package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.linalg.NativeBlas;
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
 * @param nativeBlas      "auto" (a native BLAS for large models where it loads), "true" or "false"
 *                        ({@link NativeBlas}); how the products are computed, not what: the spectra agree to
 *                        1e-12, so it is not one of the settings a report records
 */
public record AnalysisRequest(String model, AnalysisSettings settings, String baseline, String outputDirectory,
                              List<Rule> rules, boolean charts, String reference, String nativeBlas) {

    public AnalysisRequest {
        rules = rules == null ? null : List.copyOf(rules);
        String choice = NativeBlas.normalized(nativeBlas);
        if (choice == null) {
            throw new SpectralException("{{nativeBlas}} is \"" + nativeBlas + "\"; it takes auto (a native BLAS for "
                    + "large models where it loads, the default), true or false (always the own Java kernels).");
        }
        nativeBlas = choice;
    }

    /** A request without a reference model, with the native BLAS chosen by the size of the model ("auto"). */
    public AnalysisRequest(String model, AnalysisSettings settings, String baseline, String outputDirectory,
                           List<Rule> rules, boolean charts) {
        this(model, settings, baseline, outputDirectory, rules, charts, null, "auto");
    }

    /** The same request with another native BLAS choice. */
    public AnalysisRequest withNativeBlas(String choice) {
        return new AnalysisRequest(model, settings, baseline, outputDirectory, rules, charts, reference, choice);
    }

    /** This request with a reference model to compare against (null for none). */
    public AnalysisRequest withReference(String newReference) {
        return new AnalysisRequest(model, settings, baseline, outputDirectory, rules, charts, newReference, nativeBlas);
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

package io.github.spectralcircuits.maven;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.IOException;
import java.nio.file.Path;

/** Reads spectral-report.json for the report page. TEMPORARY: delegates to report.ReportReader once merged. */
final class ReportInput {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReportInput() {
    }

    static SpectralReport read(Path file) {
        try {
            return JSON.readValue(file.toFile(), SpectralReport.class);
        } catch (IOException e) {
            throw new SpectralException("Cannot read the report " + file + ": " + e.getMessage()
                    + ". Delete it or regenerate it with spectral:analyze.", e);
        }
    }
}

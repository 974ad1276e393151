package io.github.spectralcircuits.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;

/** Writes spectral-report.json into an output directory, atomically, with {@link ReportJson#MAPPER}. */
public final class ReportWriter {
    public static final String FILE_NAME = "spectral-report.json";

    private ReportWriter() {
    }

    /** Writes outputDirectory/spectral-report.json (creating the directory) and returns its path. */
    public static Path write(SpectralReport report, Path outputDirectory) {
        Path target = outputDirectory.resolve(FILE_NAME);
        AtomicFiles.write(target, out -> ReportJson.MAPPER.writeValue(out, report));
        return target;
    }

    public static String toJson(SpectralReport report) {
        try {
            return ReportJson.MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report cannot be serialised: " + e.getMessage(), e);
        }
    }
}

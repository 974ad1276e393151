package io.github.spectralcircuits.report;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * Writes spectral-report.json into an output directory, atomically. It writes with {@link ReportGenerator}
 * (jackson-core only) and must not touch {@link ReportJson}, whose databind mapper is for reading: loading it
 * would cost the analysis the start-up the generator saves.
 */
public final class ReportWriter {
    public static final String FILE_NAME = "spectral-report.json";

    private ReportWriter() {
    }

    /** Writes outputDirectory/spectral-report.json (creating the directory) and returns its path. */
    public static Path write(SpectralReport report, Path outputDirectory) {
        Path target = outputDirectory.resolve(FILE_NAME);
        AtomicFiles.write(target, out -> ReportGenerator.write(report, out));
        return target;
    }

    public static String toJson(SpectralReport report) {
        StringWriter out = new StringWriter();
        try {
            ReportGenerator.write(report, out);
        } catch (IOException e) {
            throw new IllegalStateException("the report cannot be serialised: " + e.getMessage(), e);
        }
        return out.toString();
    }
}

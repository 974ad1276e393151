package io.github.spectralcircuits.maven;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The plugin's one place that reads and writes spectral-report.json.
 * TEMPORARY body until the core's report.ReportWriter / ReportReader land: then these two
 * methods delegate to them and this Jackson code goes.
 */
final class ReportFiles {
    static final String REPORT_FILE = "spectral-report.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReportFiles() {
    }

    static Path reportFile(Path directory) {
        return directory.resolve(REPORT_FILE);
    }

    /** Writes directory/spectral-report.json atomically (temp file + rename) and returns its path. */
    static Path write(SpectralReport report, Path directory) {
        Path file = reportFile(directory);
        try {
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, ".spectral-report", ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), report);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new SpectralException("Cannot write " + file + ": " + e.getMessage()
                    + ". Check that the output directory is writable (spectral.outputDirectory).", e);
        }
    }

    static SpectralReport read(Path file) {
        try {
            return JSON.readValue(file.toFile(), SpectralReport.class);
        } catch (IOException e) {
            throw new SpectralException("Cannot read the report " + file + ": " + e.getMessage()
                    + ". Regenerate it with spectral:analyze.", e);
        }
    }
}

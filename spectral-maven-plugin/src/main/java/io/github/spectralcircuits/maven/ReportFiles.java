package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.ReportWriter;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Path;

/** Where the goals find and keep spectral-report.json: the core's atomic writer and its reader. */
final class ReportFiles {
    private ReportFiles() {
    }

    static Path reportFile(Path directory) {
        return directory.resolve(ReportWriter.FILE_NAME);
    }

    /** Writes directory/spectral-report.json atomically (temp file + rename) and returns its path. */
    static Path write(SpectralReport report, Path directory) {
        return ReportWriter.write(report, directory);
    }

    static SpectralReport read(Path file) {
        return ReportReader.read(file);
    }
}

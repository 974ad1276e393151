package io.github.spectralcircuits.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.spectralcircuits.SpectralException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a spectral-report.json back (baselines, the check and report goals). */
public final class ReportReader {
    private ReportReader() {
    }

    /** A report file, or a directory holding spectral-report.json. */
    public static SpectralReport read(Path fileOrDirectory) {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(ReportWriter.FILE_NAME) : fileOrDirectory;
        if (!Files.isRegularFile(file)) {
            throw new SpectralException("No spectral report at " + file + ". Run the spectra or analyze goal first "
                    + "(it writes " + ReportWriter.FILE_NAME + " into the output directory), or fix the path.");
        }
        SpectralReport report;
        try {
            report = ReportJson.MAPPER.readValue(file.toFile(), SpectralReport.class);
        } catch (JsonProcessingException e) {
            throw new SpectralException(file + " is not a valid spectral report: "
                    + e.getOriginalMessage() + locationOf(e) + ". Regenerate it with the spectra or analyze goal.", e);
        } catch (IOException e) {
            throw new SpectralException("Could not read " + file + ": " + e.getMessage() + ".", e);
        }
        if (report == null) {
            throw new SpectralException(file + " is empty or holds JSON null, not a spectral report; regenerate it with the spectra or analyze goal.");
        }
        if (report.schemaVersion() != SpectralReport.SCHEMA_VERSION) {
            throw new SpectralException(file + " has schemaVersion " + report.schemaVersion() + ", but this version reads "
                    + SpectralReport.SCHEMA_VERSION + " only; regenerate it with this version of the plugin.");
        }
        return report;
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}

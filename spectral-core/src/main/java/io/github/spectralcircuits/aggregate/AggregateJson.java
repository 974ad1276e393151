package io.github.spectralcircuits.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.report.AtomicFiles;
import io.github.spectralcircuits.report.ReportJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * spectral-aggregate.json, written with the report's JSON conventions (jackson-databind over the records,
 * indented, non-finite numbers as strings, sets sorted), so that the same checkpoints give the same bytes
 * however their reports were gathered. Written atomically, like the report.
 */
public final class AggregateJson {
    private AggregateJson() {
    }

    public static String toJson(SpectralAggregate aggregate) {
        try {
            return ReportJson.writer().writeValueAsString(aggregate) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the aggregate cannot be serialised: " + e.getMessage(), e);
        }
    }

    /** Writes directory/spectral-aggregate.json (creating the directory) and returns its path. */
    public static Path write(SpectralAggregate aggregate, Path directory) {
        Path target = directory.resolve(SpectralAggregate.FILE_NAME);
        AtomicFiles.writeBytes(target, toJson(aggregate).getBytes(StandardCharsets.UTF_8));
        return target;
    }

    public static SpectralAggregate read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SpectralException("No aggregate at " + file + "; run spectral:aggregate first.");
        }
        SpectralAggregate a;
        try {
            a = ReportJson.reader().forType(SpectralAggregate.class).readValue(file.toFile());
        } catch (IOException e) {
            throw new SpectralException(file + " is not a readable spectral aggregate: " + e.getMessage()
                    + ". Regenerate it with spectral:aggregate.", e);
        }
        if (a == null || a.schemaVersion() != SpectralAggregate.SCHEMA_VERSION) {
            throw new SpectralException(file + " is not a spectral aggregate of schemaVersion "
                    + SpectralAggregate.SCHEMA_VERSION + "; regenerate it with this version's spectral:aggregate.");
        }
        return a;
    }
}

package io.github.spectralcircuits.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.SpectralException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An {@link AnalysisRequest} as the JSON file handed to a forked JVM. */
public final class AnalysisRequests {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AnalysisRequests() {
    }

    public static String toJson(AnalysisRequest request) {
        try {
            return MAPPER.writeValueAsString(request);
        } catch (IOException e) {
            throw new IllegalStateException("the analysis request cannot be serialised: " + e.getMessage(), e);
        }
    }

    public static AnalysisRequest fromJson(String json) {
        try {
            return MAPPER.readValue(json, AnalysisRequest.class);
        } catch (IOException e) {
            throw new SpectralException("The forked analysis could not read its request (" + e.getMessage()
                    + "); the plugin and spectral-core on its classpath are probably of different versions.", e);
        }
    }

    public static void write(AnalysisRequest request, Path file) {
        try {
            Files.writeString(file, toJson(request));
        } catch (IOException e) {
            throw new SpectralException("Could not write the request file " + file + " for the forked analysis: "
                    + e.getMessage() + ". Check that the temporary directory (java.io.tmpdir) is writable.", e);
        }
    }

    public static AnalysisRequest read(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (IOException e) {
            throw new SpectralException("The forked analysis could not read its request file " + file + ": "
                    + e.getMessage() + ".", e);
        }
    }
}

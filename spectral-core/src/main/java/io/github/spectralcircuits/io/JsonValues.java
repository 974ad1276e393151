package io.github.spectralcircuits.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * Left only for launch.AnalysisRequests, whose hand-written request JSON goes away with the command-line entry
 * point (issue 15): delete this class with it. Everything else reads model JSON through {@link ModelJson}.
 * A factory of its own, not ModelJson's, so that Maven's JVM, which writes the request, still loads no databind.
 */
@Deprecated(forRemoval = true)
public final class JsonValues {
    /** Duplicate keys are an error, as in {@link ModelJson#MAPPER}. */
    public static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonValues() {
    }
}

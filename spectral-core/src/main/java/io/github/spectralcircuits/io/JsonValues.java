package io.github.spectralcircuits.io;

import com.fasterxml.jackson.core.JsonFactory;

/**
 * Left only for launch.AnalysisRequests, whose hand-written request JSON goes away with the command-line entry
 * point (issue 15): delete this class with it. Everything else reads model JSON through {@link ModelJson}.
 */
@Deprecated(forRemoval = true)
public final class JsonValues {
    /** {@link ModelJson#MAPPER}'s factory: duplicate keys are an error. */
    public static final JsonFactory STRICT = ModelJson.MAPPER.getFactory();

    private JsonValues() {
    }
}

package io.github.spectralcircuits.report;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration of spectral-report.json, shared by writer and reader. */
final class ReportJson {
    private ReportJson() {
    }

    /**
     * Non-finite numbers (which the spectra never produce, but later stages might) are written as the
     * strings "NaN", "Infinity", "-Infinity": valid JSON, read back as numbers. Unknown fields are
     * ignored on reading, since the schema may gain fields within version 1.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
}

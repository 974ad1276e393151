package io.github.spectralcircuits.io;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The Jackson configuration every JSON file of the project shares (the model directory's files through
 * {@link ModelJson}, the report and the sweep's aggregate through report.ReportJson, the rules file through
 * check.RulesFile); each adds only what is particular to its file on top of {@link #builder()}.
 */
public final class JsonMappers {
    private JsonMappers() {
    }

    /**
     * A duplicate key is an error, not "last one wins"; jackson-core's default read constraints (nesting depth,
     * number and string lengths) apply. An object's properties are its fields (a record's components, a bean's
     * fields), never a method that happens to be named like a getter, so a file holds what its records hold.
     * Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity" (valid JSON, read back as
     * numbers).
     */
    public static JsonMapper.Builder builder() {
        return JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .visibility(PropertyAccessor.GETTER, Visibility.NONE)
                .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
                .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS);
    }
}

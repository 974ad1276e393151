package io.github.spectralcircuits.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Set;

/**
 * The jackson-databind configuration of spectral-report.json: the reader's (baselines, check, report), and
 * the definition of the bytes the writer produces. The analysis itself writes with {@link ReportGenerator}
 * (jackson-core only, to spare the forked JVM databind's start-up); ReportGeneratorTest keeps the two
 * byte-identical.
 */
public final class ReportJson {
    private ReportJson() {
    }

    /**
     * The report's JSON conventions for other files made of report records (the aggregate of a sweep):
     * the same number, set and indentation rules. An ObjectWriter is immutable, so sharing it is safe
     * where sharing the mapper (whose configuration can be changed) would not be.
     */
    public static ObjectWriter writer() {
        return MAPPER.writer();
    }

    /** The reading side of {@link #writer()}: unknown fields ignored, non-finite numbers read from their strings. */
    public static ObjectReader reader() {
        return MAPPER.reader();
    }

    /**
     * Non-finite numbers (which the spectra never produce, but later stages might) are written as the
     * strings "NaN", "Infinity", "-Infinity": valid JSON, read back as numbers. Unknown fields are
     * ignored on reading, since the schema may gain fields within version 1. Sets (the layer and head
     * filters) are written sorted: Set.copyOf iterates in an order that changes from run to run, and
     * two runs with the same settings must write the same report.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("sorted-sets").addSerializer(Set.class, (StdSerializer) new SortedSetSerializer()))
            .build();

    private static final class SortedSetSerializer extends StdSerializer<Set<?>> {
        @SuppressWarnings({"rawtypes", "unchecked"})
        SortedSetSerializer() {
            super((Class) Set.class);
        }

        @Override
        public void serialize(Set<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray();
            for (Object o : ReportGenerator.inWritingOrder(value)) {
                provider.defaultSerializeValue(o, gen);
            }
            gen.writeEndArray();
        }
    }
}

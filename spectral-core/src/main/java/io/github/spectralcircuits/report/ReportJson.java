package io.github.spectralcircuits.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.github.spectralcircuits.io.JsonMappers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one jackson-databind configuration of spectral-report.json, for writing and reading alike. The schema is
 * the records under {@link SpectralReport}: each record is written as its components, in declaration order,
 * and read back through its canonical constructor, so a new field is a new component and nothing else.
 * <p>
 * Databind's first use costs a fresh JVM more than the hand-written jackson-core writer it replaced: measured
 * in 7 alternating fresh-JVM runs on the 2-core machine (busy), writing a 0.9 MB report of TinyStories-33M's
 * shapes took 0.55 CPU-s against 0.25 (medians), and a whole stories260k analysis with its report 0.92 CPU-s
 * against 0.68 (config.json now goes through databind too). A third of a second per run buys one schema
 * definition, the records, instead of a second writer to keep byte-identical with the reader.
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
     * The project's shared configuration ({@link JsonMappers}: properties are the records' components only,
     * found through their fields; duplicate keys refused; non-finite numbers, which the spectra never produce but
     * later stages might, written as the strings "NaN", "Infinity", "-Infinity"), indented. Unknown fields are ignored on reading, since the schema may gain fields within
     * version 1, and a field an older report lacks reads as null (or 0/false). Sets (the layer and head filters)
     * are written sorted: Set.copyOf iterates in an order that changes from run to run, and two runs with the
     * same settings must write the same report.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final ObjectMapper MAPPER = JsonMappers.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("sorted-sets").addSerializer(Set.class, (StdSerializer) new SortedSetSerializer()))
            .build();

    /** A set's elements sorted when every element is comparable, else in iteration order. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Collection<?> inWritingOrder(Set<?> set) {
        return set.stream().allMatch(o -> o instanceof Comparable) ? new TreeSet(set) : new ArrayList<>(set);
    }

    private static final class SortedSetSerializer extends StdSerializer<Set<?>> {
        @SuppressWarnings({"rawtypes", "unchecked"})
        SortedSetSerializer() {
            super((Class) Set.class);
        }

        @Override
        public void serialize(Set<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray();
            for (Object o : inWritingOrder(value)) {
                provider.defaultSerializeValue(o, gen);
            }
            gen.writeEndArray();
        }
    }
}

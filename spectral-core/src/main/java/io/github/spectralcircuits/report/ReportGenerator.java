package io.github.spectralcircuits.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes a {@link SpectralReport} with jackson-core's streaming generator, byte for byte as
 * {@link ReportJson#MAPPER} (jackson-databind) writes it: the same bytes, so that the reader, which stays on
 * databind, and every earlier report agree with it (ReportGeneratorTest compares the two on real reports).
 * <p>
 * Why not the mapper: the analysis writes one report per JVM, and databind's first write of a 1.1 MB report
 * costs a fresh JVM 0.25-0.35 s wall and 0.5-0.7 CPU-s (building the mapper and its serializers, hundreds of
 * classes), where a warm write takes 0.05 s; on a 2-core machine busy from the first second that is a
 * noticeable part of a 6 s run.
 * <p>
 * Why generic over record components rather than one method per record: the report is a tree of about twenty
 * records whose JSON is exactly their components in declaration order (databind's rule for records), so a
 * dozen lines of reflection cover all of them and follow any schema change by themselves, where explicit code
 * would be some two hundred lines to keep in step. What databind adds beyond the components is refused
 * rather than guessed: a record method named like a bean getter (getX(), isX()), which databind would also
 * write, and any value type not listed in {@link #value}.
 */
final class ReportGenerator {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type);
        }
    };

    private ReportGenerator() {
    }

    /** Writes a report (or any record of the report's kind) as UTF-8 JSON. */
    static void write(Record report, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            write(report, g);
        }
    }

    static void write(Record report, Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(report, g);
        }
    }

    private static void write(Record report, JsonGenerator g) throws IOException {
        g.setPrettyPrinter(new DefaultPrettyPrinter()); // what databind's INDENT_OUTPUT uses
        value(g, report);
    }

    /** A record's properties as databind sees them: its components, in order, and whether nulls are left out. */
    private record Shape(RecordComponent[] components, boolean omitNulls) {
        static Shape of(Class<?> type) {
            // what databind leaves out (@JsonIgnore on the component, hence on its accessor) is not written either
            RecordComponent[] components = java.util.Arrays.stream(type.getRecordComponents())
                    .filter(c -> !c.getAccessor().isAnnotationPresent(JsonIgnore.class))
                    .toArray(RecordComponent[]::new);
            for (Method m : type.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
                        && m.getDeclaringClass() == type && looksLikeGetter(m.getName())) {
                    throw new IllegalStateException(type.getName() + "." + m.getName() + "() looks like a getter, which "
                            + "jackson-databind would write into the report too; rename it or teach ReportGenerator");
                }
            }
            JsonInclude include = type.getAnnotation(JsonInclude.class);
            JsonInclude.Include rule = include == null ? JsonInclude.Include.ALWAYS : include.value();
            if (rule != JsonInclude.Include.ALWAYS && rule != JsonInclude.Include.NON_NULL) {
                throw new IllegalStateException(type.getName() + " asks for @JsonInclude(" + rule
                        + "), which ReportGenerator does not implement");
            }
            return new Shape(components, rule == JsonInclude.Include.NON_NULL);
        }

        private static boolean looksLikeGetter(String name) {
            return (name.startsWith("get") && name.length() > 3 && Character.isUpperCase(name.charAt(3)))
                    || (name.startsWith("is") && name.length() > 2 && Character.isUpperCase(name.charAt(2)));
        }
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Double) {
            g.writeNumber((Double) v);
        } else if (v instanceof Integer) {
            g.writeNumber((Integer) v);
        } else if (v instanceof Long) {
            g.writeNumber((Long) v);
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else if (v instanceof String) {
            g.writeString((String) v);
        } else if (v instanceof Enum) {
            g.writeString(((Enum<?>) v).name());
        } else if (v instanceof double[]) {
            double[] a = (double[]) v;
            g.writeArray(a, 0, a.length);
        } else if (v instanceof int[]) {
            int[] a = (int[]) v;
            g.writeArray(a, 0, a.length);
        } else if (v instanceof Set) {
            array(g, inWritingOrder((Set<?>) v));
        } else if (v instanceof List) {
            array(g, (List<?>) v);
        } else if (v instanceof Record) {
            record(g, (Record) v);
        } else {
            throw new IllegalStateException("ReportGenerator cannot write a " + v.getClass().getName()
                    + " as databind would; teach it (and run ReportGeneratorTest)");
        }
    }

    /**
     * A set's elements in the order the report writes them, here and in ReportJson's mapper alike: sorted
     * when every element is comparable, so runs with the same settings write the same bytes. (Here, not in
     * ReportJson: touching that class builds its databind mapper, which the analysis never loads.)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Collection<?> inWritingOrder(Set<?> set) {
        return set.stream().allMatch(o -> o instanceof Comparable) ? new TreeSet(set) : new ArrayList<>(set);
    }

    private static void array(JsonGenerator g, Collection<?> values) throws IOException {
        g.writeStartArray();
        for (Object o : values) {
            value(g, o);
        }
        g.writeEndArray();
    }

    private static void record(JsonGenerator g, Record r) throws IOException {
        Shape shape = SHAPES.get(r.getClass());
        g.writeStartObject();
        for (RecordComponent c : shape.components()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + r.getClass().getName() + "." + c.getName(), e);
            }
            if (v == null && shape.omitNulls()) {
                continue;
            }
            g.writeFieldName(c.getName());
            value(g, v);
        }
        g.writeEndObject();
    }
}

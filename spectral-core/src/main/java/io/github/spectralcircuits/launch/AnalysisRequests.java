package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.Limit;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.io.JsonValues;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@link AnalysisRequest} as the one-line JSON handed to a forked JVM: the request's components by name, in
 * declaration order, as jackson-databind would write the records (and the {@link Rule} and {@link Limit}
 * beans by their properties), with the layer and head sets sorted.
 * <p>
 * Written and read with jackson-core's streaming API, by hand, not with an ObjectMapper: the forked JVM reads
 * its request first thing and Maven's JVM writes it while the child boots, both on a machine whose cores are
 * busy from the first second. A databind ObjectMapper costs a fresh JVM about 0.25 s wall and 0.4 CPU-s to
 * build and first use (hundreds of classes), jackson-core about 0.05 s. Reading is strict: an unknown field,
 * a missing one or a value of the wrong type means the two sides do not agree on the schema.
 */
public final class AnalysisRequests {
    /** The model files' strict factory: a duplicate field in a request is a mismatch too. */
    private static final JsonFactory JSON = JsonValues.STRICT;

    private AnalysisRequests() {
    }

    public static String toJson(AnalysisRequest request) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", request.model());
            g.writeFieldName("settings");
            writeSettings(g, request.settings());
            g.writeStringField("baseline", request.baseline());
            g.writeStringField("outputDirectory", request.outputDirectory());
            g.writeFieldName("rules");
            if (request.rules() == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (Rule rule : request.rules()) {
                    writeRule(g, rule);
                }
                g.writeEndArray();
            }
            g.writeBooleanField("charts", request.charts());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("the analysis request cannot be serialised: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void writeSettings(JsonGenerator g, AnalysisSettings s) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("foldNorms", s.foldNorms());
        g.writeNumberField("nearZeroTolerance", s.nearZeroTolerance());
        g.writeNumberField("rankTolerance", s.rankTolerance());
        g.writeBooleanField("control", s.control());
        g.writeNumberField("controlSeed", s.controlSeed());
        g.writeNumberField("highRankFraction", s.highRankFraction());
        g.writeNumberField("zThreshold", s.zThreshold());
        writeSortedInts(g, "layers", s.layers());
        writeSortedInts(g, "heads", s.heads());
        g.writeBooleanField("verifyDense", s.verifyDense());
        g.writeNumberField("denseTolerance", s.denseTolerance());
        ReadoutSettings r = s.readouts();
        g.writeObjectFieldStart("readouts");
        g.writeStringField("tokenReadouts", r.tokenReadouts());
        g.writeNumberField("topTokens", r.topTokens());
        g.writeNumberField("singularDirections", r.singularDirections());
        g.writeBooleanField("composition", r.composition());
        g.writeNumberField("compositionTop", r.compositionTop());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeSortedInts(JsonGenerator g, String name, Collection<Integer> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (int v : new TreeSet<>(values)) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void writeRule(JsonGenerator g, Rule rule) throws IOException {
        g.writeStartObject();
        g.writeStringField("circuit", rule.getCircuit());
        g.writeStringField("layers", rule.getLayers());
        g.writeStringField("heads", rule.getHeads());
        g.writeFieldName("limits");
        if (rule.getLimits() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (Limit limit : rule.getLimits()) {
                g.writeStartObject();
                g.writeStringField("metric", limit.getMetric());
                writeNullableNumber(g, "minimum", limit.getMinimum());
                writeNullableNumber(g, "maximum", limit.getMaximum());
                writeNullableNumber(g, "maximumDriftFromBaseline", limit.getMaximumDriftFromBaseline());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeNullableNumber(JsonGenerator g, String name, Double value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value);
        }
    }

    public static AnalysisRequest fromJson(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "the request");
            AnalysisRequest request = readRequest(p);
            if (p.nextToken() != null) {
                throw new IOException("content after the request's end");
            }
            return request;
        } catch (IOException | RuntimeException e) {
            // RuntimeException: a record's constructor refusing a value the parser accepted
            throw new SpectralException("The forked analysis could not read its request (" + problem(e)
                    + "); the plugin and spectral-core on its classpath are probably of different versions.", e);
        }
    }

    /** Jackson's message without the lines it appends (the source, which is the request itself). */
    private static String problem(Exception e) {
        if (e instanceof JsonProcessingException) {
            JsonProcessingException j = (JsonProcessingException) e;
            JsonLocation at = j.getLocation();
            return j.getOriginalMessage().replace('\n', ' ')
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
        return String.valueOf(e.getMessage()).replace('\n', ' ');
    }

    private static AnalysisRequest readRequest(JsonParser p) throws IOException {
        Fields f = new Fields("the request", "model", "settings", "baseline", "outputDirectory", "rules", "charts");
        String model = null;
        AnalysisSettings settings = null;
        String baseline = null;
        String outputDirectory = null;
        List<Rule> rules = null;
        boolean charts = false;
        while (f.next(p)) {
            switch (f.name) {
                case "model": model = string(p, "model"); break;
                case "settings": settings = readSettings(p); break;
                case "baseline": baseline = string(p, "baseline"); break;
                case "outputDirectory": outputDirectory = string(p, "outputDirectory"); break;
                case "rules": rules = readRules(p); break;
                default: charts = bool(p, "charts"); break;
            }
        }
        f.requireAll();
        return new AnalysisRequest(model, settings, baseline, outputDirectory, rules, charts);
    }

    private static AnalysisSettings readSettings(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "settings");
        Fields f = new Fields("settings", "foldNorms", "nearZeroTolerance", "rankTolerance", "control", "controlSeed",
                "highRankFraction", "zThreshold", "layers", "heads", "verifyDense", "denseTolerance", "readouts");
        boolean foldNorms = false;
        boolean control = false;
        boolean verifyDense = false;
        double nearZeroTolerance = 0;
        double rankTolerance = 0;
        double highRankFraction = 0;
        double zThreshold = 0;
        double denseTolerance = 0;
        long controlSeed = 0;
        Set<Integer> layers = null;
        Set<Integer> heads = null;
        ReadoutSettings readouts = null;
        while (f.next(p)) {
            switch (f.name) {
                case "foldNorms": foldNorms = bool(p, f.name); break;
                case "nearZeroTolerance": nearZeroTolerance = number(p, f.name); break;
                case "rankTolerance": rankTolerance = number(p, f.name); break;
                case "control": control = bool(p, f.name); break;
                case "controlSeed": controlSeed = wholeNumber(p, f.name); break;
                case "highRankFraction": highRankFraction = number(p, f.name); break;
                case "zThreshold": zThreshold = number(p, f.name); break;
                case "layers": layers = ints(p, f.name); break;
                case "heads": heads = ints(p, f.name); break;
                case "verifyDense": verifyDense = bool(p, f.name); break;
                case "readouts": readouts = readReadouts(p); break;
                default: denseTolerance = number(p, f.name); break;
            }
        }
        f.requireAll();
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, control, controlSeed,
                highRankFraction, zThreshold, layers, heads, verifyDense, denseTolerance, readouts);
    }

    private static ReadoutSettings readReadouts(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, "readouts");
        Fields f = new Fields("readouts", "tokenReadouts", "topTokens", "singularDirections", "composition",
                "compositionTop");
        String mode = null;
        long top = 0;
        long directions = 0;
        boolean composition = false;
        long compositionTop = 0;
        while (f.next(p)) {
            switch (f.name) {
                case "tokenReadouts": mode = string(p, f.name); break;
                case "topTokens": top = wholeNumber(p, f.name); break;
                case "singularDirections": directions = wholeNumber(p, f.name); break;
                case "composition": composition = bool(p, f.name); break;
                default: compositionTop = wholeNumber(p, f.name); break;
            }
        }
        f.requireAll();
        return new ReadoutSettings(mode, (int) top, (int) directions, composition, (int) compositionTop);
    }

    private static List<Rule> readRules(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "rules");
        List<Rule> rules = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, p.currentToken(), JsonToken.START_OBJECT, "a rule");
            // a bean: a field left out keeps the default a rule has in a POM
            Fields f = new Fields("a rule", "circuit", "layers", "heads", "limits");
            Rule rule = new Rule();
            while (f.next(p)) {
                switch (f.name) {
                    case "circuit": rule.setCircuit(string(p, f.name)); break;
                    case "layers": rule.setLayers(string(p, f.name)); break;
                    case "heads": rule.setHeads(string(p, f.name)); break;
                    default: rule.setLimits(readLimits(p)); break;
                }
            }
            rules.add(rule);
        }
        return rules;
    }

    private static List<Limit> readLimits(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "limits");
        List<Limit> limits = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, p.currentToken(), JsonToken.START_OBJECT, "a limit");
            Fields f = new Fields("a limit", "metric", "minimum", "maximum", "maximumDriftFromBaseline");
            Limit limit = new Limit();
            while (f.next(p)) {
                switch (f.name) {
                    case "metric": limit.setMetric(string(p, f.name)); break;
                    case "minimum": limit.setMinimum(nullableNumber(p, f.name)); break;
                    case "maximum": limit.setMaximum(nullableNumber(p, f.name)); break;
                    default: limit.setMaximumDriftFromBaseline(nullableNumber(p, f.name)); break;
                }
            }
            limits.add(limit);
        }
        return limits;
    }

    /** The fields of one object: each known name at most once, and nothing else. */
    private static final class Fields {
        private final String object;
        private final List<String> known;
        private final Set<String> seen = new TreeSet<>();
        String name;

        Fields(String object, String... known) {
            this.object = object;
            this.known = List.of(known);
        }

        /** Moves to the next field's value; false at the object's end. */
        boolean next(JsonParser p) throws IOException {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT) {
                return false;
            }
            name = p.currentName();
            if (!known.contains(name)) {
                throw new IOException("unknown field \"" + name + "\" in " + object + "; known: " + known);
            }
            seen.add(name);
            p.nextToken();
            return true;
        }

        void requireAll() throws IOException {
            for (String k : known) {
                if (!seen.contains(k)) {
                    throw new IOException("field \"" + k + "\" missing from " + object);
                }
            }
        }
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw wrongType(p, what, expected == JsonToken.START_OBJECT ? "an object" : "an array");
        }
    }

    private static IOException wrongType(JsonParser p, String what, String expected) throws IOException {
        JsonToken t = p.currentToken();
        return new IOException(what + " must be " + expected + ", not "
                + (t == null ? "the end of the input" : t.isScalarValue() ? p.getText() : t.asString())
                + " (line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr() + ")");
    }

    private static String string(JsonParser p, String what) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw wrongType(p, what, "a string or null");
        }
        return p.getText();
    }

    private static boolean bool(JsonParser p, String what) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw wrongType(p, what, "true or false");
        }
        return t == JsonToken.VALUE_TRUE;
    }

    /** A number; also "NaN", "Infinity" and "-Infinity", as the generator writes non-finite numbers. */
    private static double number(JsonParser p, String what) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw wrongType(p, what, "a number");
    }

    private static Double nullableNumber(JsonParser p, String what) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : number(p, what);
    }

    private static long wholeNumber(JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(p, what, "a whole number");
        }
        return p.getLongValue(); // fails, as a parse error, beyond the range of a long
    }

    private static Set<Integer> ints(JsonParser p, String what) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, what);
        Set<Integer> values = new TreeSet<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw wrongType(p, what, "an array of whole numbers");
            }
            values.add(p.getIntValue());
        }
        return values;
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

package io.github.spectralcircuits.io;

import io.github.spectralcircuits.ParameterNames;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a safetensors file, parsed and checked against the size of the data area
 * before anything in it is used. Parsed with Jackson's token stream rather than its tree or data
 * binding: a header may hold 100 MB of hostile input (millions of shape entries, deep nesting), which
 * is refused at the first entry too many instead of being built in the heap first, and binding would
 * coerce what must be refused ("8" or 8.5 as a dimension) and word its refusals in Java types.
 */
final class SafetensorsHeader {
    /** The format's own limit (the reference implementation refuses larger headers too). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** No real tensor has more dimensions; a longer shape is a damaged or hostile header. */
    static final int MAX_RANK = 64;

    static final String REPAIR = "The file is damaged or was not written as safetensors; download or export it again "
            + "(for example with save_pretrained(..., safe_serialization=True)).";

    private final List<SafetensorsEntry> entries;
    private final Map<String, String> metadata;

    private SafetensorsHeader(List<SafetensorsEntry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Entries in data order (ascending offsets). */
    List<SafetensorsEntry> entries() {
        return entries;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Parses the header JSON from in and checks every entry against a data area of dataLength
     * bytes: known dtype, integer shape whose product fits, size = elements x dtype width, offsets
     * in range, and tensors that tile the data area exactly (no overlap, no gap, nothing after).
     */
    static SafetensorsHeader parse(Path file, InputStream in, long dataLength) {
        List<SafetensorsEntry> entries = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        try (JsonParser p = ModelJson.MAPPER.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(file, "its header is not a JSON object (a safetensors header maps tensor names to "
                        + "{dtype, shape, data_offsets})");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("__metadata__")) {
                    metadata = parseMetadata(file, p);
                } else {
                    entries.add(parseEntry(file, name, p, dataLength));
                }
            }
            if (p.nextToken() != null) {
                throw error(file, "its header has content after the closing brace of the JSON object");
            }
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            if (reason != null && reason.startsWith("Duplicate field")) {
                throw error(file, "its header names the same key twice (" + abbreviate(reason) + ")", e);
            }
            throw error(file, "its header is not valid JSON (" + abbreviate(String.valueOf(reason)) + ")", e);
        } catch (IOException e) {
            throw new ModelInputException("Cannot read the header of " + file + ": " + e.getMessage()
                    + ". Check that the file is readable.", e);
        } catch (OutOfMemoryError e) {
            // A header under the size limit can still describe more entries than a small heap holds;
            // this one allocation site is where that surfaces, and nothing else is half-built.
            throw new ModelInputException(file + ": its safetensors header is too large to hold in the Java heap. "
                    + "Raise the heap (" + ParameterNames.ref("heap") + ") or check that the file is genuine.");
        }
        checkLayout(file, entries, dataLength);
        return new SafetensorsHeader(Collections.unmodifiableList(entries), metadata);
    }

    private static Map<String, String> parseMetadata(Path file, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw error(file, "its \"__metadata__\" is " + describe(p) + ", but it must be an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw error(file, "its \"__metadata__\" entry \"" + key + "\" is " + describe(p)
                        + ", but metadata values must be strings");
            }
            metadata.put(key, p.getText());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static SafetensorsEntry parseEntry(Path file, String name, JsonParser p, long dataLength) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw error(file, "header entry for tensor " + quote(name) + " is " + describe(p)
                    + ", but it must be an object {dtype, shape, data_offsets}");
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw error(file, "tensor " + quote(name) + " has dtype " + describe(p) + ", but it must be a string such as \"F32\"");
                    }
                    dtypeName = p.getText();
                }
                case "shape" -> shape = longArray(file, name, "shape", p, MAX_RANK);
                case "data_offsets" -> offsets = longArray(file, name, "data_offsets", p, 2);
                default -> p.skipChildren(); // fields the format may add later do not change the layout
            }
        }
        if (dtypeName == null || shape == null || offsets == null) {
            String missing = dtypeName == null ? "dtype" : shape == null ? "shape" : "data_offsets";
            throw error(file, "tensor " + quote(name) + " has no \"" + missing + "\" in the header");
        }
        SafetensorsDType dtype = SafetensorsDType.byName(dtypeName);
        if (dtype == null) {
            throw error(file, "tensor " + quote(name) + " has unknown dtype \"" + dtypeName
                    + "\" (safetensors defines " + SafetensorsDType.allNames() + ")");
        }
        if (offsets.length != 2) {
            throw error(file, "tensor " + quote(name) + " has data_offsets with " + offsets.length
                    + " numbers, but it must be exactly [begin, end]");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw error(file, "tensor " + quote(name) + " has data_offsets [" + begin + ", " + end + "] that end before they begin");
        }
        if (end > dataLength) {
            throw error(file, "tensor " + quote(name) + " has data_offsets [" + begin + ", " + end + "] reaching past the end of "
                    + "the data area, which holds " + dataLength + " bytes: the file is shorter than its header claims "
                    + "(truncated download?)");
        }
        long elements = 1;
        for (long s : shape) {
            try {
                elements = Math.multiplyExact(elements, s);
            } catch (ArithmeticException e) {
                throw error(file, "tensor " + quote(name) + " has shape " + Arrays.toString(shape)
                        + " whose element count overflows 64 bits");
            }
        }
        long expected;
        try {
            expected = Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException e) {
            throw error(file, "tensor " + quote(name) + " has shape " + Arrays.toString(shape)
                    + " whose byte size overflows 64 bits");
        }
        if (expected != end - begin) {
            throw error(file, "tensor " + quote(name) + " is " + dtype + " with shape " + Arrays.toString(shape)
                    + ", which needs " + expected + " bytes, but its data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes");
        }
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    /** A JSON array of at most maxLength non-negative integers that fit in a long. */
    private static long[] longArray(Path file, String tensor, String field, JsonParser p, int maxLength) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw error(file, "tensor " + quote(tensor) + " has " + field + " " + describe(p)
                    + ", but it must be a list of non-negative whole numbers");
        }
        long[] values = new long[Math.min(maxLength, 8)];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw error(file, "tensor " + quote(tensor) + " has " + field + " containing " + describe(p)
                        + ", but every entry must be a non-negative whole number below 2^63");
            }
            if (n == maxLength) {
                throw error(file, "tensor " + quote(tensor) + " has more than " + maxLength + " numbers in " + field);
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, Math.min(maxLength, 2 * n));
            }
            values[n++] = p.getLongValue();
        }
        return Arrays.copyOf(values, n);
    }

    /**
     * The format requires the tensors to tile the data area: sorted by offset, each begins where
     * the previous one ends, the first at 0 and the last at the end of the file, each at a multiple
     * of its element size (writers order tensors by element width, so this always holds). Anything
     * else (overlap, gap, misalignment, unclaimed bytes) means the header and the data disagree.
     */
    private static void checkLayout(Path file, List<SafetensorsEntry> entries, long dataLength) {
        entries.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
        long expectedBegin = 0;
        SafetensorsEntry previous = null;
        for (SafetensorsEntry e : entries) {
            if (e.begin() < expectedBegin) {
                throw error(file, "tensors " + quote(previous.name()) + " [" + previous.begin() + ", " + previous.end()
                        + "] and " + quote(e.name()) + " [" + e.begin() + ", " + e.end() + "] overlap in the data area");
            }
            if (e.begin() > expectedBegin) {
                throw error(file, "tensor " + quote(e.name()) + " begins at data offset " + e.begin() + ", but "
                        + (previous == null ? "the data area begins at 0" : "the previous tensor " + quote(previous.name())
                        + " ends at " + expectedBegin) + ": the format requires tensors to be contiguous, without gaps");
            }
            if (e.begin() % e.dtype().bytes() != 0) {
                throw error(file, "tensor " + quote(e.name()) + " (" + e.dtype() + ", " + e.dtype().bytes()
                        + "-byte elements) begins at data offset " + e.begin() + ", which is not a multiple of its element "
                        + "size: misaligned data_offsets, which safetensors writers never produce");
            }
            expectedBegin = e.end();
            previous = e;
        }
        if (expectedBegin != dataLength) {
            throw error(file, "its tensors cover " + expectedBegin + " bytes of a data area of " + dataLength
                    + " bytes: the file is longer than its header describes (extra or misplaced data)");
        }
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "missing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + abbreviate(p.getText());
            case VALUE_TRUE, VALUE_FALSE -> p.getText();
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    /** A tensor name for a message; a hostile header can hold megabyte-long names. */
    static String quote(String name) {
        return "'" + (name.length() <= 200 ? name : name.substring(0, 200) + "...") + "'";
    }

    static ModelInputException error(Path file, String what) {
        return new ModelInputException(file + " is not a valid safetensors file: " + what + ". " + REPAIR);
    }

    static ModelInputException error(Path file, String what, Throwable cause) {
        return new ModelInputException(file + " is not a valid safetensors file: " + what + ". " + REPAIR, cause);
    }
}

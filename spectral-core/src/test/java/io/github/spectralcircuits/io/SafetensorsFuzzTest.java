package io.github.spectralcircuits.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: thousands of seeded mutations of a valid file (bits flipped, numbers changed, fields
 * removed or retyped, lengths altered, bytes cut or added). Each must end in a read that agrees with
 * an independent decoding of the mutated bytes, or in a ModelInputException naming the file; any
 * other exception fails, and a timeout guards against hangs (it is a hang guard, not a speed target).
 */
class SafetensorsFuzzTest {
    private static final long SEED = 20_261_124L;
    private static final int ITERATIONS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static double[] values(int n, Random r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() * 3;
        }
        return v;
    }

    @Test
    void mutatedFilesEndInACorrectReadOrAClearError() {
        Random base = new Random(SEED);
        // Widest elements first, as safetensors writers order them, so every tensor is aligned.
        SafetensorsWriter valid = new SafetensorsWriter()
                .add("h.0.v", DType.F64, values(4, base), 2, 2)
                .addRaw("ids", "I64", new long[] {2}, new byte[16])
                .add("embed.weight", DType.F32, values(12, base), 3, 4)
                .add("empty", DType.F32, new double[0], 0, 3)
                .add("h.0.q", DType.F16, values(6, base), 2, 3)
                .add("h.0.k", DType.BF16, values(5, base), 5)
                .metadata("format", "pt");
        String header = valid.headerJson();
        byte[] data = valid.dataBytes();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random r = new Random(SEED);
            for (int i = 0; i < ITERATIONS; i++) {
                List<String> applied = new ArrayList<>();
                byte[] bytes = mutate(header, data, r, applied);
                Path file = dir.resolve("fuzz" + i + ".safetensors");
                Files.write(file, bytes);
                try {
                    outcomes[readAndCheck(file, bytes) ? 0 : 1]++;
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("iteration " + i + " after " + applied + ": " + e, e);
                }
                Files.delete(file);
            }
        });
        // Both paths must really be exercised by the seeded mutations.
        assertTrue(outcomes[0] > ITERATIONS / 5, outcomes[0] + " files read correctly");
        assertTrue(outcomes[1] > ITERATIONS / 3, outcomes[1] + " files refused");
    }

    /** True when the file opened (its tensors then either read correctly or failed clearly one by one). */
    private static boolean readAndCheck(Path file, byte[] bytes) {
        SafetensorsFile f;
        try {
            f = SafetensorsFile.open(file);
        } catch (ModelInputException e) {
            assertClear(e, file);
            return false;
        }
        try (f) {
            long headerEnd = 8 + ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            for (String name : f.names()) {
                long offset = f.fileOffset(name);
                long length = f.byteLength(name);
                assertTrue(offset >= headerEnd && offset + length <= bytes.length, "tensor " + name + " out of the file");
                String dtype = f.storedDType(name);
                if (!List.of("F32", "F16", "BF16", "F64").contains(dtype)) {
                    ModelInputException e = expectFailure(() -> f.readDoubles(name), file);
                    assertTrue(e.getMessage().contains("unsupported dtype"), e.getMessage());
                    continue;
                }
                double[] expected = referenceDecode(bytes, (int) offset, (int) length, dtype);
                long bad = Arrays.stream(expected).filter(v -> !Double.isFinite(v)).count();
                long[] shape = f.info(name).shape();
                if (bad > 0) {
                    ModelInputException e = expectFailure(() -> f.readDoubles(name), file);
                    assertTrue(e.getMessage().contains(" " + bad + " non-finite values"), e.getMessage());
                    continue;
                }
                assertBitwiseEqual(expected, f.readDoubles(name), name);
                if (shape.length == 2 && (shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE)) {
                    expectFailure(() -> f.rowMatrix(name), file); // an empty tensor can claim absurd dimensions
                } else if (shape.length == 2) {
                    RowMatrix m = f.rowMatrix(name);
                    int top = m.rows() / 2;
                    double[] first = new double[top * m.cols()];
                    double[] rest = new double[(m.rows() - top) * m.cols()];
                    m.readRows(0, top, first);
                    m.readRows(top, m.rows() - top, rest);
                    double[] both = Arrays.copyOf(first, first.length + rest.length);
                    System.arraycopy(rest, 0, both, first.length, rest.length);
                    assertBitwiseEqual(expected, both, name + " as panels");
                } else {
                    expectFailure(() -> f.rowMatrix(name), file);
                }
            }
        }
        return true;
    }

    private static ModelInputException expectFailure(Runnable read, Path file) {
        try {
            read.run();
        } catch (ModelInputException e) {
            assertClear(e, file);
            return e;
        }
        throw new AssertionError("expected a ModelInputException");
    }

    private static void assertClear(ModelInputException e, Path file) {
        assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()), "message must name the file: " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one paragraph: " + e.getMessage());
    }

    private static void assertBitwiseEqual(double[] expected, double[] actual, String what) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                fail(what + "[" + i + "] = " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    /** An independent decoder: arithmetic formulas rather than the reader's bit manipulation. */
    private static double[] referenceDecode(byte[] bytes, int offset, int length, String dtype) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        int width = switch (dtype) {
            case "F64" -> 8;
            case "F32" -> 4;
            default -> 2;
        };
        double[] v = new double[length / width];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (dtype) {
                case "F64" -> b.getDouble(8 * i);
                case "F32" -> b.getFloat(4 * i);
                case "BF16" -> Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                default -> {
                    int h = b.getShort(2 * i) & 0xffff;
                    int e = (h >> 10) & 31;
                    int m = h & 1023;
                    double x = e == 0 ? m * Math.pow(2, -24)
                            : e == 31 ? (m == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                            : (1 + m / 1024.0) * Math.pow(2, e - 15);
                    yield (h & 0x8000) != 0 ? -x : x;
                }
            };
        }
        return v;
    }

    // ---- mutations ----

    private static byte[] mutate(String header, byte[] data, Random r, List<String> applied) throws IOException {
        String h = header;
        if (r.nextInt(4) == 0) {
            // body only: the header stays valid, so the values read must follow the flipped bytes
            byte[] bytes = SafetensorsWriter.raw(h, data);
            int dataStart = bytes.length - data.length;
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                int at = dataStart + r.nextInt(data.length);
                bytes[at] ^= (byte) (1 << r.nextInt(8));
                applied.add("flipped a bit of data byte " + at);
            }
            return bytes;
        }
        if (r.nextInt(2) == 0) {
            ObjectNode tree = (ObjectNode) JSON.readTree(header);
            for (int k = 1 + r.nextInt(2); k > 0; k--) {
                structural(tree, r, applied);
            }
            h = JSON.writeValueAsString(tree);
            if (r.nextBoolean()) {
                h = h + " ".repeat((8 - h.length() % 8) % 8);
            }
        }
        byte[] bytes = SafetensorsWriter.raw(h, data);
        int byteLevel = applied.isEmpty() ? 1 + r.nextInt(3) : r.nextInt(3);
        for (int k = 0; k < byteLevel; k++) {
            bytes = byteLevel(bytes, r, applied);
        }
        return bytes;
    }

    private static void structural(ObjectNode root, Random r, List<String> applied) {
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        String name = names.get(r.nextInt(names.size()));
        JsonNode entry = root.get(name);
        switch (r.nextInt(8)) {
            case 0 -> {
                root.remove(name);
                applied.add("removed entry " + name);
            }
            case 1 -> {
                if (entry instanceof ObjectNode o && o.size() > 0) {
                    List<String> fields = new ArrayList<>();
                    o.fieldNames().forEachRemaining(fields::add);
                    String field = fields.get(r.nextInt(fields.size()));
                    o.remove(field);
                    applied.add("removed " + name + "." + field);
                }
            }
            case 2 -> {
                if (entry instanceof ObjectNode o) {
                    String[] choices = {"F32", "F16", "BF16", "F64", "I64", "U8", "BOOL", "F7", "", "f32"};
                    String t = choices[r.nextInt(choices.length)];
                    if (r.nextInt(10) == 0) {
                        o.put("dtype", r.nextInt(9));
                    } else {
                        o.put("dtype", t);
                    }
                    applied.add("dtype of " + name + " -> " + o.get("dtype"));
                }
            }
            case 3 -> {
                if (entry instanceof ObjectNode o) {
                    ArrayNode shape = o.putArray("shape");
                    for (int d = r.nextInt(4); d > 0; d--) {
                        shape.add(r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(13) - 1);
                    }
                    applied.add("shape of " + name + " -> " + shape);
                }
            }
            case 4 -> {
                if (entry instanceof ObjectNode o && o.get("data_offsets") instanceof ArrayNode a && a.size() == 2) {
                    int which = r.nextInt(2);
                    long delta = r.nextInt(33) - 16;
                    a.set(which, a.get(which).asLong() + delta);
                    applied.add("data_offsets of " + name + " -> " + a);
                }
            }
            case 5 -> {
                String other = names.get(r.nextInt(names.size()));
                if (entry instanceof ObjectNode o && root.get(other) instanceof ObjectNode p && o.has("data_offsets") && p.has("data_offsets")) {
                    JsonNode swap = o.get("data_offsets");
                    o.set("data_offsets", p.get("data_offsets"));
                    p.set("data_offsets", swap);
                    applied.add("swapped offsets of " + name + " and " + other);
                }
            }
            case 6 -> {
                JsonNode[] odd = {JSON.getNodeFactory().nullNode(), JSON.getNodeFactory().textNode("x"),
                    JSON.getNodeFactory().numberNode(1.5), JSON.getNodeFactory().arrayNode(), JSON.getNodeFactory().objectNode()};
                if (entry instanceof ObjectNode o && r.nextBoolean()) {
                    String[] fields = {"dtype", "shape", "data_offsets"};
                    String field = fields[r.nextInt(3)];
                    o.set(field, odd[r.nextInt(odd.length)]);
                    applied.add(name + "." + field + " -> " + o.get(field));
                } else {
                    root.set(name, odd[r.nextInt(odd.length)]);
                    applied.add(name + " -> " + root.get(name));
                }
            }
            default -> {
                root.set(name + "_copy", entry.deepCopy());
                applied.add("duplicated " + name);
            }
        }
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    private static byte[] byteLevel(byte[] bytes, Random r, List<String> applied) {
        if (bytes.length < 8) {
            bytes = Arrays.copyOf(bytes, bytes.length + 1 + r.nextInt(8));
            applied.add("zero-padded to " + bytes.length);
            return bytes;
        }
        int headerLength = (int) Math.min(bytes.length - 8L,
                Math.max(0, ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()));
        switch (r.nextInt(8)) {
            case 0 -> {
                // half of the flips hit the data area, where the header stays valid and values change
                int dataStart = 8 + headerLength;
                int at = r.nextBoolean() && dataStart < bytes.length
                        ? dataStart + r.nextInt(bytes.length - dataStart) : r.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 + r.nextInt(255));
                applied.add("flipped byte " + at);
            }
            case 1 -> {
                int at = 8 + r.nextInt(Math.max(1, headerLength));
                if (at < bytes.length) {
                    byte[] special = "\"{}[],:-9 .e\\\u0000".getBytes(StandardCharsets.ISO_8859_1);
                    bytes[at] = special[r.nextInt(special.length)];
                    applied.add("set header byte " + at + " to " + (char) bytes[at]);
                }
            }
            case 2 -> {
                String text = new String(bytes, 8, headerLength, StandardCharsets.ISO_8859_1);
                List<int[]> runs = new ArrayList<>();
                Matcher m = NUMBER.matcher(text);
                while (m.find()) {
                    runs.add(new int[] {m.start(), m.end()});
                }
                if (!runs.isEmpty()) {
                    int[] run = runs.get(r.nextInt(runs.size()));
                    String[] replacements = {"0", "-1", "1.5", "1e3", "99999999999999999999", "9223372036854775807",
                        "4294967296", String.valueOf(r.nextInt(200)),
                        String.valueOf(Long.parseLong(text.substring(run[0], run[1]).length() > 18 ? "0" : text.substring(run[0], run[1]))
                                + r.nextInt(17) - 8)};
                    String replacement = replacements[r.nextInt(replacements.length)];
                    String changed = text.substring(0, run[0]) + replacement + text.substring(run[1]);
                    byte[] tail = Arrays.copyOfRange(bytes, 8 + headerLength, bytes.length);
                    byte[] h = changed.getBytes(StandardCharsets.ISO_8859_1);
                    bytes = SafetensorsWriter.raw(r.nextInt(4) == 0 ? headerLength : h.length, h, tail);
                    applied.add("number " + text.substring(run[0], run[1]) + " -> " + replacement);
                }
            }
            case 3 -> {
                long[] lengths = {headerLength + 1, headerLength - 1, headerLength + 8, headerLength - 8, 0, -1,
                    bytes.length, bytes.length - 8, 100_000_001, Long.MAX_VALUE, r.nextInt(bytes.length)};
                long length = lengths[r.nextInt(lengths.length)];
                ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length);
                applied.add("length prefix -> " + length);
            }
            case 4 -> {
                int keep = r.nextInt(bytes.length);
                bytes = Arrays.copyOf(bytes, keep);
                applied.add("truncated to " + keep);
            }
            case 5 -> {
                byte[] extra = new byte[1 + r.nextInt(32)];
                r.nextBytes(extra);
                byte[] longer = Arrays.copyOf(bytes, bytes.length + extra.length);
                System.arraycopy(extra, 0, longer, bytes.length, extra.length);
                bytes = longer;
                applied.add("appended " + extra.length + " bytes");
            }
            case 6 -> {
                int at = r.nextInt(bytes.length + 1);
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) r.nextInt(256);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                bytes = longer;
                applied.add("inserted a byte at " + at);
            }
            default -> {
                if (bytes.length > 0) {
                    int at = r.nextInt(bytes.length);
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    bytes = shorter;
                    applied.add("deleted byte " + at);
                }
            }
        }
        return bytes;
    }

    @Test
    void theSeededMutationsAreReproducible() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().add("a", DType.F32, new double[] {1, 2}, 2);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        byte[] x = mutate(w.headerJson(), w.dataBytes(), new Random(7), first);
        byte[] y = mutate(w.headerJson(), w.dataBytes(), new Random(7), second);
        assertTrue(Arrays.equals(x, y) && first.equals(second) && !first.isEmpty());
    }
}

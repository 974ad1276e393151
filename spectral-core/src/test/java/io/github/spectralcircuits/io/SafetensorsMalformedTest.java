package io.github.spectralcircuits.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.testing.SafetensorsWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each malformed-file case of SPEC section 8 that belongs to reading: one clear message naming the file. */
class SafetensorsMalformedTest {
    private static final String REPAIR = "download or export it again";

    @TempDir
    Path dir;

    private int counter;

    private Path file(byte[] bytes) {
        Path f = dir.resolve("case" + (counter++) + ".safetensors");
        SafetensorsWriter.writeBytes(f, bytes);
        return f;
    }

    /** Header JSON (padded to 8 bytes) with 16 bytes of data: room for an F32 [2,2] tensor. */
    private Path header(String json) {
        return header(json, 16);
    }

    private Path header(String json, int dataBytes) {
        StringBuilder h = new StringBuilder(json);
        while (h.length() % 8 != 0) {
            h.append(' ');
        }
        return file(SafetensorsWriter.raw(h.toString(), new byte[dataBytes]));
    }

    private static String expectFailure(Path f, String... fragments) {
        ModelInputException e = assertThrows(ModelInputException.class, () -> SafetensorsFile.open(f).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()), "message must start with the file: " + m);
        for (String fragment : fragments) {
            assertTrue(m.contains(fragment), "message lacks \"" + fragment + "\": " + m);
        }
        assertTrue(!m.contains("\n"), "one paragraph: " + m);
        return m;
    }

    @Test
    void fileShorterThanTheLengthPrefix() {
        expectFailure(file(new byte[0]), "is 0 bytes long, shorter than the 8-byte header length", REPAIR);
        expectFailure(file(new byte[] {1, 2, 3, 4, 5}), "is 5 bytes long", REPAIR);
    }

    @Test
    void headerLongerThanTheFormatAllows() {
        expectFailure(file(SafetensorsWriter.raw(200_000_000L, "{}".getBytes(), new byte[0])),
                "header length is 200000000 bytes, above the format's limit of 100000000 bytes (100 MB)", REPAIR);
        expectFailure(file(SafetensorsWriter.raw(-1L, "{}".getBytes(), new byte[0])),
                "header length is 18446744073709551615 bytes, above the format's limit");
    }

    @Test
    void fileShorterThanItsHeaderClaims() {
        expectFailure(file(SafetensorsWriter.raw(64, "{}      ".getBytes(), new byte[0])),
                "its header claims 64 bytes, but only 8 bytes follow", "shorter than its header claims");
        byte[] valid = new SafetensorsWriter().add("w", DType.F32, new double[] {1, 2, 3, 4}, 2, 2).toBytes();
        expectFailure(file(java.util.Arrays.copyOf(valid, valid.length - 3)),
                "tensor 'w' has data_offsets [0, 16] reaching past the end of the data area, which holds 13 bytes",
                "shorter than its header claims", REPAIR);
    }

    @Test
    void misalignedDataOffsets() {
        // An F16 tensor of one element, then an F32 one at byte 2: contiguous, in range, right sizes, misaligned.
        expectFailure(header("{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 6),
                "tensor 'w' (F32, 4-byte elements) begins at data offset 2", "misaligned data_offsets", REPAIR);
    }

    @Test
    void headerThatIsNotJsonOrNotAnObject() {
        expectFailure(header("hello"), "its header is not valid JSON (", REPAIR);
        expectFailure(header("{\"w\":{\"dtype\":\"F32\""), "its header is not valid JSON (");
        expectFailure(header("[1,2]"), "its header is not a JSON object");
        expectFailure(header(""), "its header is not a JSON object");
        expectFailure(header("{} {}"), "content after the closing brace");
        byte[] h = "{\"\u00e9\":1}    ".getBytes(StandardCharsets.ISO_8859_1); // a lone 0xE9 is not UTF-8
        expectFailure(file(SafetensorsWriter.raw(h.length, h, new byte[0])), "not valid JSON");
    }

    @Test
    void entryThatIsNotAnObjectOrLacksAField() {
        expectFailure(header("{\"w\":5}"), "header entry for tensor 'w' is the number 5, but it must be an object");
        expectFailure(header("{\"w\":{\"shape\":[2,2],\"data_offsets\":[0,16]}}"), "tensor 'w' has no \"dtype\"");
        expectFailure(header("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,16]}}"), "tensor 'w' has no \"shape\"");
        expectFailure(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2]}}"), "tensor 'w' has no \"data_offsets\"");
        expectFailure(header("{\"w\":{\"dtype\":32,\"shape\":[2,2],\"data_offsets\":[0,16]}}"),
                "tensor 'w' has dtype the number 32, but it must be a string");
    }

    @Test
    void unknownDTypeIsNamed() {
        String m = expectFailure(header("{\"w\":{\"dtype\":\"F7\",\"shape\":[2,2],\"data_offsets\":[0,16]}}"),
                "tensor 'w' has unknown dtype \"F7\"");
        assertTrue(m.contains("F32") && m.contains("BF16") && m.contains("I64"), m);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[2,-2]                | shape containing the number -2, but every entry must be a non-negative whole number",
        "[2,2.0]               | shape containing the number 2.0",
        "[2,\"2\"]             | shape containing the string \"2\"",
        "[2,99999999999999999999] | shape containing the number 99999999999999999999",
        "{\"a\":1}             | shape an object, but it must be a list",
        "[4294967296,4294967296] | shape [4294967296, 4294967296] whose element count overflows 64 bits",
        "[2305843009213693952] | whose byte size overflows 64 bits",
    })
    void badShapes(String shape, String expected) {
        expectFailure(header("{\"w\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,16]}}"), expected);
    }

    @Test
    void tooManyDimensions() {
        String shape = "[" + "1,".repeat(100) + "4]";
        expectFailure(header("{\"w\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,16]}}"),
                "tensor 'w' has more than 64 numbers in shape");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[0,16,32]  | more than 2 numbers in data_offsets",
        "[16]       | data_offsets with 1 numbers, but it must be exactly [begin, end]",
        "[16,0]     | data_offsets [16, 0] that end before they begin",
        "[0,-16]    | data_offsets containing the number -16",
        "[0,24]     | data_offsets [0, 24] reaching past the end of the data area, which holds 16 bytes",
        "[0,12]     | is F32 with shape [2, 2], which needs 16 bytes, but its data_offsets [0, 12] span 12 bytes",
        "\"0-16\"   | data_offsets the string \"0-16\"",
    })
    void badOffsets(String offsets, String expected) {
        expectFailure(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":" + offsets + "}}"), expected);
    }

    @Test
    void overlappingGappedAndUncoveredLayouts() {
        expectFailure(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "tensors 'a' [0, 8] and 'b' [4, 12] overlap in the data area");
        expectFailure(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}"),
                "tensor 'b' begins at data offset 12, but the previous tensor 'a' ends at 8", "without gaps");
        expectFailure(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}"),
                "tensor 'a' begins at data offset 8, but the data area begins at 0");
        expectFailure(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"),
                "its tensors cover 8 bytes of a data area of 16 bytes");
        // the same tensor bytes claimed twice is an overlap too
        expectFailure(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "overlap in the data area");
    }

    @Test
    void metadataMustBeAMapOfStrings() {
        expectFailure(header("{\"__metadata__\":[\"pt\"]}", 0), "its \"__metadata__\" is a list, but it must be an object of strings");
        expectFailure(header("{\"__metadata__\":{\"format\":\"pt\",\"n\":3}}", 0),
                "its \"__metadata__\" entry \"n\" is the number 3, but metadata values must be strings");
    }

    @Test
    void duplicateKeysAreRefused() {
        expectFailure(header("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}"), "names the same key twice", "'a'");
        expectFailure(header("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "names the same key twice", "'dtype'");
    }

    @Test
    void notAFileOrMissing() {
        assertTrue(assertThrows(ModelInputException.class, () -> SafetensorsFile.open(dir.resolve("none.safetensors")))
                .getMessage().contains("none.safetensors does not exist"));
        Path sub = dir.resolve("sub.safetensors");
        SafetensorsWriter.writeBytes(sub.resolve("x"), new byte[1]);
        assertTrue(assertThrows(ModelInputException.class, () -> SafetensorsFile.open(sub))
                .getMessage().contains("is not a regular file"));
    }

    @Test
    void wellFormedEdgeCasesAreAccepted() throws Exception {
        // No tensors at all, an empty tensor, unknown extra fields and leading whitespace are all legal.
        try (SafetensorsFile f = SafetensorsFile.open(header("{}", 0))) {
            assertTrue(f.names().isEmpty());
        }
        try (SafetensorsFile f = SafetensorsFile.open(header(" {\"e\":{\"dtype\":\"F64\",\"shape\":[0,3],\"data_offsets\":[0,0],"
                + "\"comment\":{\"x\":[1,2]}},\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}"))) {
            assertEquals(2, f.names().size());
            assertEquals(0, f.readDoubles("e").length);
            assertEquals(4, f.readDoubles("w").length);
        }
        assertTrue(Files.exists(dir));
    }
}

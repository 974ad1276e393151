package io.github.spectralcircuits.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorInfo;
import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.github.spectralcircuits.io.ModelJson;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointReaderTest {
    private static final Path STORIES = Path.of("../examples/stories260k/model.safetensors");

    @TempDir
    Path dir;

    private static byte[] le(int elementSize, long... bitsPerElement) {
        ByteBuffer b = ByteBuffer.allocate(elementSize * bitsPerElement.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : bitsPerElement) {
            switch (elementSize) {
                case 1:
                    b.put((byte) v);
                    break;
                case 2:
                    b.putShort((short) v);
                    break;
                case 4:
                    b.putInt((int) v);
                    break;
                default:
                    b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void everyFloatingStorageTypeReadsBackValueByValue() throws IOException {
        // Half and bfloat16 bit patterns with their values worked out by hand from the formats' definitions.
        long[] halfBits = {0x3C00, 0xC000, 0x3555, 0x0001, 0x7BFF, 0x8000, 0x83FF, 0x0400};
        double[] halfValues = {1.0, -2.0, 0.333251953125, 0x1p-24, 65504.0, -0.0, -1023 * 0x1p-24, 0x1p-14};
        long[] bf16Bits = {0x3F80, 0xC0A0, 0x4049, 0x0000, 0xFF7F, 0x3C00};
        double[] bf16Values = {1.0, -5.0, 3.140625, 0.0, -0x1.FEp127, 0x1p-7};
        float[] floats = {1.5f, -0.1f, 3.4028235e38f, 1e-45f};
        double[] doubles = {Math.PI, -1e300, 4.9e-324, 0.1};
        long[] floatBits = new long[floats.length];
        for (int i = 0; i < floats.length; i++) {
            floatBits[i] = Float.floatToRawIntBits(floats[i]);
        }
        long[] doubleBits = new long[doubles.length];
        for (int i = 0; i < doubles.length; i++) {
            doubleBits[i] = Double.doubleToRawLongBits(doubles[i]);
        }
        TorchCheckpointWriter w = new TorchCheckpointWriter()
                .storage("0", "HalfStorage", halfBits.length, le(2, halfBits))
                .storage("1", "BFloat16Storage", bf16Bits.length, le(2, bf16Bits))
                .storage("2", "FloatStorage", floats.length, le(4, floatBits))
                .storage("3", "DoubleStorage", doubles.length, le(8, doubleBits))
                .tensor("half", "0", 0, new long[] {2, 4}, new long[] {4, 1})
                .tensor("bf16", "1", 0, new long[] {6}, new long[] {1})
                .tensor("f32", "2", 0, new long[] {2, 2}, new long[] {2, 1})
                .tensor("f64", "3", 0, new long[] {4, 1}, new long[] {1, 1});
        Path file = dir.resolve("pytorch_model.bin");
        w.write(file);
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            assertEquals(List.of("half", "bf16", "f32", "f64"), new ArrayList<>(s.names()));
            assertEquals(DType.F16, s.info("half").dtype());
            assertEquals(DType.BF16, s.info("bf16").dtype());
            assertEquals(DType.F32, s.info("f32").dtype());
            assertEquals(DType.F64, s.info("f64").dtype());
            assertArrayEquals(new long[] {2, 4}, s.info("half").shape());
            assertArrayEquals(new long[] {4, 1}, s.info("f64").shape());
            assertEquals(file, s.info("half").file());
            assertArrayEquals(halfValues, s.readDoubles("half"));
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(s.readDoubles("half")[5]));
            assertArrayEquals(bf16Values, s.readDoubles("bf16"));
            double[] f32 = s.readDoubles("f32");
            for (int i = 0; i < floats.length; i++) {
                assertEquals((double) floats[i], f32[i]);
            }
            assertArrayEquals(doubles, s.readDoubles("f64"));
            double[] row = new double[4];
            s.rowMatrix("half").readRows(1, 1, row);
            assertArrayEquals(new double[] {-0.0, -1023 * 0x1p-24, 0x1p-14}, new double[] {row[1], row[2], row[3]});
        }
    }

    @Test
    void nonFiniteWeightsAreReportedPerTensorWithCounts() throws IOException {
        // half: +inf, NaN; bfloat16: -inf; float32 NaN in the second row only
        new TorchCheckpointWriter()
                .storage("0", "HalfStorage", 4, le(2, 0x3C00, 0x7C00, 0x7E00, 0x7C01))
                .tensor("h", "0", 0, new long[] {4}, new long[] {1})
                .storage("1", "FloatStorage", 4, le(4, Float.floatToRawIntBits(1f), Float.floatToRawIntBits(2f),
                        Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(4f)))
                .tensor("f", "1", 0, new long[] {2, 2}, new long[] {2, 1})
                .write(dir.resolve("pytorch_model.bin"));
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            ModelInputException h = assertThrows(ModelInputException.class, () -> s.readDoubles("h"));
            assertTrue(h.getMessage().contains("'h' [4]") && h.getMessage().contains("3 non-finite values (2 NaN, 1 infinite) of 4"),
                    h.getMessage());
            double[] firstRow = new double[2];
            s.rowMatrix("f").readRows(0, 1, firstRow);
            assertArrayEquals(new double[] {1, 2}, firstRow);
            ModelInputException f = assertThrows(ModelInputException.class, () -> s.rowMatrix("f").readRows(1, 1, firstRow));
            assertTrue(f.getMessage().contains("'f'") && f.getMessage().contains("(1 NaN, 0 infinite) of 4"), f.getMessage());
        }
    }

    @Test
    void storageOffsetsSharedStoragesAndParametersViewTheRightElements() throws IOException {
        float[] values = new float[30];
        long[] bits = new long[30];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 3f;
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        new TorchCheckpointWriter()
                .storage("7", "FloatStorage", 30, le(4, bits))
                .tensor("a", "7", 0, new long[] {2, 3}, new long[] {3, 1})
                .tensor("b", "7", 6, new long[] {2, 1, 3, 4}, new long[] {12, 12, 4, 1})
                .parameter("c", "7", 29, new long[] {1}, new long[] {1})
                .tensor("empty", "7", 30, new long[] {0, 5}, new long[] {5, 1})
                .write(dir.resolve("pytorch_model.bin"));
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            assertArrayEquals(expected(values, 0, 6), s.readDoubles("a"));
            assertArrayEquals(expected(values, 6, 24), s.readDoubles("b"));
            assertArrayEquals(new long[] {2, 1, 3, 4}, s.info("b").shape());
            assertArrayEquals(new double[] {values[29]}, s.readDoubles("c"));
            assertEquals(0, s.readDoubles("empty").length);
            RowMatrix m = s.rowMatrix("a");
            double[] second = new double[3];
            m.readRows(1, 1, second);
            assertArrayEquals(expected(values, 3, 3), second);
        }
    }

    private static double[] expected(float[] values, int from, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = values[from + i];
        }
        return out;
    }

    @Test
    void recordPrefixIsTakenFromTheEntriesWhateverItIs() throws IOException {
        for (String prefix : new String[] {"archive", "pytorch_model", "some name with spaces"}) {
            Path file = dir.resolve(prefix.replace(' ', '_') + ".bin");
            new TorchCheckpointWriter().prefix(prefix).floats("w", new long[] {3}, new float[] {1, 2, 3}).write(file);
            try (TensorSource s = TorchCheckpoints.openFile(file)) {
                assertArrayEquals(new double[] {1, 2, 3}, s.readDoubles("w"), prefix);
            }
        }
    }

    @Test
    void deflatedEntriesAreStreamedAndReadTheSame() throws IOException {
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        new TorchCheckpointWriter().deflate(true).floats("w", new long[] {10, 100}, values)
                .write(dir.resolve("pytorch_model.bin"));
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            double[] row = new double[100];
            s.rowMatrix("w").readRows(7, 1, row);
            assertArrayEquals(expected(values, 700, 100), row);
            assertArrayEquals(expected(values, 0, 1000), s.readDoubles("w"));
        }
    }

    @Test
    void integerAndBooleanBuffersAreSkippedButNamedWhenAsked() throws IOException {
        new TorchCheckpointWriter()
                .floats("w", new long[] {2}, new float[] {4, 5})
                .storage("1", "BoolStorage", 4, new byte[] {1, 0, 0, 1})
                .tensor("h.0.attn.bias", "1", 0, new long[] {1, 1, 2, 2}, new long[] {4, 4, 2, 1})
                .storage("2", "LongStorage", 2, le(8, 0, 1))
                .tensor("position_ids", "2", 0, new long[] {1, 2}, new long[] {2, 1})
                .write(dir.resolve("pytorch_model.bin"));
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            assertEquals(List.of("w"), new ArrayList<>(s.names()));
            assertEquals(DType.F32, s.dtype());
            ModelInputException e = assertThrows(ModelInputException.class, () -> s.info("h.0.attn.bias"));
            assertTrue(e.getMessage().contains("torch.BoolStorage"), e.getMessage());
            ModelInputException missing = assertThrows(ModelInputException.class, () -> s.readDoubles("nope"));
            assertTrue(missing.getMessage().contains("'nope'") && missing.getMessage().contains(dir.toString()),
                    missing.getMessage());
        }
    }

    @Test
    void storiesWeightsRewrittenAsPytorchModelBinGiveExactlyTheSafetensorsValues() throws IOException {
        Map<String, SafetensorsF32.Tensor> reference = SafetensorsF32.read(STORIES);
        assertEquals(47, reference.size());
        TorchCheckpointWriter w = new TorchCheckpointWriter();
        reference.forEach((name, t) -> w.floats(name, t.shape(), t.values()));
        w.write(dir.resolve("pytorch_model.bin"));
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            assertEquals(reference.keySet(), s.names());
            assertEquals(DType.F32, s.dtype());
            for (Map.Entry<String, SafetensorsF32.Tensor> e : reference.entrySet()) {
                assertSameValues(e.getKey(), e.getValue(), s);
            }
            RowMatrix embed = s.rowMatrix("model.embed_tokens.weight");
            assertEquals(512, embed.rows());
            assertEquals(64, embed.cols());
            double[] panel = new double[3 * 64];
            embed.readRows(509, 3, panel);
            float[] ref = reference.get("model.embed_tokens.weight").values();
            for (int i = 0; i < panel.length; i++) {
                assertEquals(ref[509 * 64 + i], panel[i]);
            }
        }
    }

    @Test
    void shardedStoriesWeightsGiveExactlyTheSafetensorsValues() throws IOException {
        Map<String, SafetensorsF32.Tensor> reference = SafetensorsF32.read(STORIES);
        TorchCheckpointWriter first = new TorchCheckpointWriter();
        TorchCheckpointWriter second = new TorchCheckpointWriter();
        Map<String, String> weightMap = new java.util.LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, SafetensorsF32.Tensor> e : reference.entrySet()) {
            boolean early = i++ < 20;
            (early ? first : second).floats(e.getKey(), e.getValue().shape(), e.getValue().values());
            weightMap.put(e.getKey(), "pytorch_model-0000" + (early ? 1 : 2) + "-of-00002.bin");
        }
        first.write(dir.resolve("pytorch_model-00001-of-00002.bin"));
        second.write(dir.resolve("pytorch_model-00002-of-00002.bin"));
        ModelJson.MAPPER.writeValue(dir.resolve("pytorch_model.bin.index.json").toFile(),
                Map.of("metadata", Map.of("total_size", 1040128), "weight_map", weightMap));
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            assertEquals(reference.keySet(), s.names());
            assertEquals(dir, s.directory());
            for (Map.Entry<String, SafetensorsF32.Tensor> e : reference.entrySet()) {
                assertSameValues(e.getKey(), e.getValue(), s);
            }
            TensorInfo last = s.info("model.layers.4.post_attention_layernorm.weight");
            assertEquals(dir.resolve("pytorch_model-00002-of-00002.bin"), last.file());
        }
    }

    private static void assertSameValues(String name, SafetensorsF32.Tensor expected, TensorSource s) {
        assertArrayEquals(expected.shape(), s.info(name).shape(), name);
        double[] got = s.readDoubles(name);
        assertEquals(expected.values().length, got.length, name);
        for (int i = 0; i < got.length; i++) {
            if ((double) expected.values()[i] != got[i]) {
                throw new AssertionError(name + "[" + i + "]: " + expected.values()[i] + " != " + got[i]);
            }
        }
    }

    @Test
    void singleFileWinsOverAnIndexAndAbsentWeightsAreReported() throws IOException {
        assertFalse(TorchCheckpoints.present(dir));
        ModelInputException none = assertThrows(ModelInputException.class, () -> TorchCheckpoints.open(dir));
        assertTrue(none.getMessage().contains("pytorch_model.bin"), none.getMessage());
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {9}).write(dir.resolve("pytorch_model.bin"));
        Files.writeString(dir.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": {\"w\": \"missing.bin\"}}");
        assertTrue(TorchCheckpoints.present(dir));
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            assertArrayEquals(new double[] {9}, s.readDoubles("w"));
        }
    }
}

package io.github.spectralcircuits.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.testing.SafetensorsWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    private static double[] ramp(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 3.0) * scale;
        }
        return v;
    }

    private static byte[] shorts(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : bits) {
            b.putShort((short) x);
        }
        return b.array();
    }

    @Test
    void readsF32AndF64ValueByValueWithShapesAndMetadata() {
        double[] a = ramp(12, 0.37);
        double[] b = {Math.PI, -Math.E, 1e-300, -0.0, 1e300, 7};
        Path file = new SafetensorsWriter()
                .add("a", DType.F32, a, 3, 4)
                .add("b", DType.F64, b, 6)
                .metadata("format", "pt")
                .write(dir.resolve("m.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "b"), List.copyOf(f.names()));
            assertEquals(Map.of("format", "pt"), f.metadata());
            TensorInfo info = f.info("a");
            assertEquals(DType.F32, info.dtype());
            assertArrayEquals(new long[] {3, 4}, info.shape());
            assertEquals(file, info.file());
            double[] readA = f.readDoubles("a");
            for (int i = 0; i < a.length; i++) {
                assertEquals((double) (float) a[i], readA[i], 0.0, "a[" + i + "]");
            }
            assertArrayEquals(b, f.readDoubles("b"), 0.0);
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(f.readDoubles("b")[3]));
            assertEquals(DType.F64, f.info("b").dtype());
        }
    }

    @Test
    void decodesF16BitPatternsAsComputedByHand() {
        // bits -> value, each worked out from sign / exponent (bias 15) / 10-bit mantissa
        int[] bits = {0x3C00, 0xC000, 0x3555, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x8000, 0x3E00, 0x4248, 0x2E66};
        double[] expected = {
            1.0, -2.0,
            1365.0 / 4096,              // (1 + 341/1024) * 2^-2
            65504.0,                    // (2 - 2^-10) * 2^15, the largest finite
            Math.pow(2, -24),           // smallest subnormal
            1023 * Math.pow(2, -24),    // largest subnormal
            Math.pow(2, -14),           // smallest normal
            -0.0, 1.5,
            3.140625,                   // (1 + 584/1024) * 2
            1638.0 / 16384};            // (1 + 614/1024) * 2^-4
        Path file = new SafetensorsWriter().addRaw("h", "F16", new long[] {bits.length}, shorts(bits))
                .write(dir.resolve("f16.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            double[] got = f.readDoubles("h");
            for (int i = 0; i < bits.length; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(got[i]),
                        String.format("F16 0x%04X: expected %s, got %s", bits[i], expected[i], got[i]));
            }
        }
    }

    @Test
    void decodesBF16BitPatternsAsComputedByHand() {
        int[] bits = {0x3F80, 0x4049, 0xBF00, 0x0001, 0x7F7F, 0x3EAB};
        double[] expected = {
            1.0,
            3.140625,                               // (1 + 73/128) * 2
            -0.5,
            Math.pow(2, -133),                      // float subnormal 2^16 * 2^-149
            (2 - Math.pow(2, -7)) * Math.pow(2, 127), // largest finite
            171.0 / 512};                           // (1 + 43/128) * 2^-2
        Path file = new SafetensorsWriter().addRaw("b", "BF16", new long[] {2, 3}, shorts(bits))
                .write(dir.resolve("bf16.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(expected, f.readDoubles("b"), 0.0);
            double[] row = new double[3];
            f.rowMatrix("b").readRows(1, 1, row);
            assertArrayEquals(new double[] {expected[3], expected[4], expected[5]}, row, 0.0);
        }
    }

    @Test
    void halfPrecisionRoundingOfTheWriterMatchesHandComputation() {
        double third = 1.0 / 3;
        Path file = new SafetensorsWriter()
                .add("f16", DType.F16, new double[] {third, 0.1, 1 + Math.pow(2, -11), 1 + 3 * Math.pow(2, -11), 65519, 3e-8}, 6)
                .add("bf16", DType.BF16, new double[] {third, 1 + Math.pow(2, -8), 1 + 3 * Math.pow(2, -8), -300.7}, 4)
                .write(dir.resolve("round.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new double[] {
                1365.0 / 4096,          // 1/3: mantissa 0101010101|0101... rounds down
                1638.0 / 16384,         // 0.1 = 1.6 * 2^-4, 0.6 * 1024 = 614.4 -> 614
                1.0,                    // exactly halfway between 1 and 1 + 2^-10: ties to the even mantissa 0
                1 + Math.pow(2, -9),    // halfway between mantissa 1 and 2: ties to even 2
                65504.0,                // below the overflow threshold 65520: the largest finite
                Math.pow(2, -24)        // 3e-8 = 0.503 * 2^-24... rounds up to the smallest subnormal
            }, f.readDoubles("f16"), 0.0);
            assertArrayEquals(new double[] {
                171.0 / 512,            // 1/3 as float is 0x3EAAAAAB, low half 0xAAAB > 0x8000: rounds up to 0x3EAB
                1.0,                    // halfway between 1 and 1 + 2^-7: ties to even
                1 + Math.pow(2, -6),    // halfway between mantissa 1 and 2: ties to even
                -300.0                  // -300.7 = -1.1746 * 2^8; 7 mantissa bits: 1 + 22/128 -> 300.0 (next is 302)
            }, f.readDoubles("bf16"), 0.0);
        }
    }

    @Test
    void everyWindowStepReadsTheSameValuesAsOneMapping() {
        // Widest elements first keeps every tensor aligned, as writers do; window steps of 1, 3, 5, 7 and 13
        // bytes still make elements straddle window starts.
        SafetensorsWriter w = new SafetensorsWriter()
                .add("f64", DType.F64, ramp(22, 1e-3), 11, 2)
                .add("f32", DType.F32, ramp(15, 0.1), 5, 3)
                .add("empty", DType.F32, new double[0], 0, 4)
                .add("f16", DType.F16, ramp(7, 0.25), 7)
                .add("bf16", DType.BF16, ramp(9, 0.5), 3, 3);
        Path file = w.write(dir.resolve("w.safetensors"));
        long dataLength = w.dataBytes().length;
        Map<String, double[]> reference = new java.util.HashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String n : f.names()) {
                reference.put(n, f.readDoubles(n));
            }
            assertTrue(f.fileOffset("bf16") % 4 != 0, "a tensor must start off a 4-byte boundary of the file");
        }
        assertArrayEquals(ramp(22, 1e-3), reference.get("f64"), 0.0);
        for (long step : new long[] {1, 2, 3, 5, 7, 8, 13, 64, 1000}) {
            try (SafetensorsFile f = SafetensorsFile.open(file, step, SafetensorsFile.DEFAULT_MAX_READ_ELEMENTS)) {
                assertEquals((dataLength + step - 1) / step, f.mapping().windowCount(), "windows for step " + step);
                assertTrue(f.mapping().largestWindow() <= step + WindowedMapping.OVERLAP);
                for (String n : f.names()) {
                    assertArrayEquals(reference.get(n), f.readDoubles(n), 0.0, n + " with window step " + step);
                }
                for (String n : List.of("f32", "bf16", "f64", "empty")) {
                    RowMatrix m = f.rowMatrix(n);
                    double[] all = reference.get(n);
                    for (int first = 0; first < m.rows(); first++) {
                        for (int count = 0; first + count <= m.rows(); count++) {
                            double[] panel = new double[count * m.cols()];
                            m.readRows(first, count, panel);
                            assertArrayEquals(java.util.Arrays.copyOfRange(all, first * m.cols(), (first + count) * m.cols()),
                                    panel, 0.0, n + " rows " + first + "+" + count + " step " + step);
                        }
                    }
                }
            }
        }
    }

    @Test
    void defaultWindowsStayBelowTheLimitOfOneMapping() {
        assertTrue(WindowedMapping.DEFAULT_STEP + WindowedMapping.OVERLAP <= Integer.MAX_VALUE);
        assertThrows(IllegalArgumentException.class,
                () -> new WindowedMapping(null, 0, 10, Integer.MAX_VALUE - WindowedMapping.OVERLAP + 1L));
    }

    @Test
    void concurrentPanelReadersSeeConsistentRows() throws Exception {
        int rows = 300;
        int cols = 17;
        double[] values = ramp(rows * cols, 0.01);
        Path file = new SafetensorsWriter().add("e", DType.F32, values, rows, cols)
                .add("pad", DType.F16, new double[] {1}, 1).write(dir.resolve("c.safetensors"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SafetensorsFile f = SafetensorsFile.open(file, 101, SafetensorsFile.DEFAULT_MAX_READ_ELEMENTS)) {
            RowMatrix m = f.rowMatrix("e");
            List<Future<Integer>> jobs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                jobs.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    int checked = 0;
                    for (int k = 0; k < 400; k++) {
                        int first = r.nextInt(rows);
                        int count = 1 + r.nextInt(Math.min(20, rows - first));
                        double[] panel = new double[count * cols];
                        m.readRows(first, count, panel);
                        for (int i = 0; i < panel.length; i++) {
                            if (panel[i] != (float) values[first * cols + i]) {
                                throw new AssertionError("row " + first + " value " + i);
                            }
                        }
                        checked += panel.length;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> j : jobs) {
                assertTrue(j.get() > 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nonFiniteWeightsAreReportedWithTensorAndCountOfTheWholeTensor() {
        double[] v = new double[40];
        for (int i = 0; i < v.length; i++) {
            v[i] = i - 20; // small integers are exact in BF16
        }
        v[3] = Double.NaN;
        v[17] = Double.POSITIVE_INFINITY;
        v[18] = Double.NEGATIVE_INFINITY;
        v[39] = Double.NaN;
        Path file = new SafetensorsWriter().add("ok", DType.F32, ramp(4, 1), 2, 2)
                .add("layers.0.q_proj.weight", DType.BF16, v, 10, 4).write(dir.resolve("nan.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            ModelInputException e = assertThrows(ModelInputException.class, () -> f.readDoubles("layers.0.q_proj.weight"));
            assertTrue(e.getMessage().contains("'layers.0.q_proj.weight'"), e.getMessage());
            assertTrue(e.getMessage().contains("4 non-finite values (2 NaN, 2 infinite) of 40"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            RowMatrix m = f.rowMatrix("layers.0.q_proj.weight");
            // a panel with only row 4 (elements 16..19) still reports the count of the whole tensor
            ModelInputException p = assertThrows(ModelInputException.class, () -> m.readRows(4, 1, new double[4]));
            assertEquals(e.getMessage(), p.getMessage());
            double[] clean = new double[8];
            m.readRows(1, 2, clean); // rows 1-2 hold no bad value
            assertArrayEquals(java.util.Arrays.copyOfRange(v, 4, 12), clean, 0.0);
        }
    }

    @Test
    void otherSafetensorsDTypesPassTheLayoutCheckButAreNotReadAsWeights() {
        Path file = new SafetensorsWriter().add("w", DType.F32, ramp(2, 1), 2)
                .addRaw("position_ids", "I64", new long[] {1, 3}, new byte[24])
                .addRaw("mask", "BOOL", new long[] {3}, new byte[] {1, 0, 1})
                .addRaw("q", "F8_E4M3", new long[] {2}, new byte[] {5, 6})
                .write(dir.resolve("ints.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(4, f.names().size());
            assertEquals("I64", f.storedDType("position_ids"));
            for (String n : List.of("position_ids", "mask", "q")) {
                String dtype = f.storedDType(n);
                ModelInputException e = assertThrows(ModelInputException.class, () -> f.readDoubles(n));
                assertTrue(e.getMessage().contains("'" + n + "' is stored as " + dtype + ", an unsupported dtype"), e.getMessage());
                assertThrows(ModelInputException.class, () -> f.rowMatrix(n));
                assertThrows(ModelInputException.class, () -> f.info(n));
            }
            assertArrayEquals(new double[] {-2.0 / 3, 1 - 2.0 / 3}, f.readDoubles("w"), 1e-7);
        }
    }

    @Test
    void missingTensorWrongRankAndHeapLimitAreClearErrors() {
        Path file = new SafetensorsWriter().add("v", DType.F32, ramp(6, 1), 6)
                .add("huge", DType.F32, new double[0], 1L << 31, 0)
                .add("m", DType.F32, ramp(6, 1), 2, 3).write(dir.resolve("e.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file, WindowedMapping.DEFAULT_STEP, 5)) {
            assertTrue(assertThrows(ModelInputException.class, () -> f.info("nope")).getMessage()
                    .contains(file + " has no tensor 'nope'"));
            assertTrue(assertThrows(ModelInputException.class, () -> f.rowMatrix("v")).getMessage()
                    .contains("'v' has shape [6], but a matrix [rows, columns] is expected"));
            assertTrue(assertThrows(ModelInputException.class, () -> f.rowMatrix("huge")).getMessage()
                    .contains("more than 2^31 rows or columns"));
            assertTrue(assertThrows(ModelInputException.class, () -> f.readDoubles("m")).getMessage()
                    .contains("'m' has shape [2, 3] (6 elements), too large to read into the heap at once (limit 5"));
            assertEquals(0, f.readDoubles("huge").length);
        }
    }

    @Test
    void aFileTruncatedAfterOpeningIsReportedNotCrashed() throws Exception {
        double[] big = ramp(1 << 16, 1e-3);
        Path file = new SafetensorsWriter().add("e", DType.F32, big, 1 << 8, 1 << 8).write(dir.resolve("t.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                c.truncate(4096); // the mapped pages past this point are gone
            }
            ModelInputException e = assertThrows(ModelInputException.class, () -> f.readDoubles("e"));
            assertTrue(e.getMessage().startsWith(file + " changed while it was being read (reading tensor 'e'"), e.getMessage());
        }
    }

    @Test
    void readingAfterCloseIsRefused() {
        Path file = new SafetensorsWriter().add("v", DType.F32, ramp(4, 1), 2, 2).write(dir.resolve("c.safetensors"));
        SafetensorsFile f = SafetensorsFile.open(file);
        RowMatrix m = f.rowMatrix("v");
        f.close();
        f.close();
        assertThrows(IllegalStateException.class, () -> f.readDoubles("v"));
        assertThrows(IllegalStateException.class, () -> m.readRows(0, 1, new double[2]));
    }
}

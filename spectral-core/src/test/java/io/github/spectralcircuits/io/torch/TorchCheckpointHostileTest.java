package io.github.spectralcircuits.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and broken PyTorch checkpoints: each is refused with one clear paragraph, and nothing runs. */
class TorchCheckpointHostileTest {
    /** Seeded random damage per fuzz test in the unit suite (the first of the IT's seeded sequence). */
    static final int UNIT_TRIALS = 200;

    @TempDir
    Path dir;

    private Path bin() {
        return dir.resolve("pytorch_model.bin");
    }

    private ModelInputException refused() {
        ModelInputException e = assertThrows(ModelInputException.class, () -> TorchCheckpoints.open(dir).close());
        assertTrue(e.getMessage().contains(bin().toString()) || e.getMessage().contains(dir.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one paragraph: " + e.getMessage());
        return e;
    }

    private static void assertMentions(ModelInputException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    /** PROTO 2, GLOBAL module name, the command as a one-string tuple, REDUCE, STOP: pickle's classic exploit. */
    private static byte[] callWithCommand(String module, String name, String command) {
        PickleWriter p = new PickleWriter().proto(2).global(module, name);
        p.string(command, false).closeTuple(1);
        return p.op('R').stop().bytes();
    }

    @Test
    void osSystemPayloadIsRefusedNamingTheGlobalAndItsCommandNeverRuns() throws IOException {
        Path marker = dir.resolve("pwned-marker");
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1})
                .pickle(callWithCommand("posix", "system", "touch " + marker))
                .write(bin());
        ModelInputException e = refused();
        assertMentions(e, "posix.system", "nothing from it was executed");
        assertFalse(Files.exists(marker), "the payload ran");
    }

    @Test
    void otherCodeExecutionGlobalsAreRefusedByName() throws IOException {
        Path marker = dir.resolve("marker");
        String[][] globals = {{"os", "system"}, {"nt", "system"}, {"builtins", "eval"}, {"builtins", "exec"},
            {"__builtin__", "eval"}, {"subprocess", "Popen"}, {"subprocess", "check_output"}, {"runpy", "_run_code"},
            {"torch.storage", "_load_from_bytes"}, {"torch._utils", "_rebuild_tensor"}, {"numpy.core.multiarray", "_reconstruct"},
            {"collections", "defaultdict"}, {"torch", "load"}};
        for (String[] g : globals) {
            new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1})
                    .pickle(callWithCommand(g[0], g[1], "touch " + marker)).write(bin());
            assertMentions(refused(), "'" + g[0] + "." + g[1] + "'");
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void payloadHiddenAfterRealTensorsAndViaStackGlobalIsRefused() throws IOException {
        Path marker = dir.resolve("marker");
        // a valid state dict as the first pickle, the payload after a second STOP would never be reached;
        // so hide it inside the dict instead: a value computed by os.system
        byte[] good = new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1}).statePickle();
        PickleWriter p = new PickleWriter().proto(2).global("collections", "OrderedDict").op(')').op('R');
        p.memoize();
        p.string("w", false).global("posix", "system");
        p.string("touch " + marker, false).closeTuple(1);
        p.op('R').op('s').stop();
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1}).pickle(p.bytes()).write(bin());
        assertMentions(refused(), "posix.system");
        // protocol 4 STACK_GLOBAL takes module and name from the stack
        PickleWriter q = new PickleWriter().proto(4);
        q.op(0x8C).op(5).raw("posix".getBytes(StandardCharsets.US_ASCII)).op(0x94);
        q.op(0x8C).op(6).raw("system".getBytes(StandardCharsets.US_ASCII)).op(0x94).op(0x93);
        q.string("touch " + marker, false).closeTuple(1);
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1}).pickle(q.op('R').stop().bytes())
                .write(bin());
        assertMentions(refused(), "posix.system");
        assertFalse(Files.exists(marker));
        assertTrue(good.length > 0);
    }

    @Test
    void cpythonPicklerPayloadFixtureIsRefused() throws IOException {
        Path fixture = Path.of("src/test/resources/torch/cpython-os-system.bin");
        Files.copy(fixture, bin());
        assertMentions(refused(), "posix.system");
        assertFalse(Files.exists(Path.of("spectral-torch-pwned-marker")));
        assertFalse(Files.exists(dir.resolve("spectral-torch-pwned-marker")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpython-state-dict.bin", "cpython-state-dict-protocol4.bin"})
    void cpythonPicklerStateDictFixturesReadAsWritten(String fixture) throws IOException {
        Files.copy(Path.of("src/test/resources/torch").resolve(fixture), bin());
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            assertEquals(java.util.List.of("a", "a_view", "h", "bf", "d"), new java.util.ArrayList<>(s.names()));
            double[] a = new double[12];
            for (int i = 0; i < 12; i++) {
                a[i] = i * 0.25 - 1;
            }
            assertArrayEquals(a, s.readDoubles("a"));
            assertArrayEquals(Arrays.copyOfRange(a, 4, 12), s.readDoubles("a_view"));
            assertArrayEquals(new double[] {1, -2, 0.5, 65504, 0x1p-24}, s.readDoubles("h"));
            assertArrayEquals(new double[] {1, -5, 3.140625, 0x1p-7}, s.readDoubles("bf"));
            assertArrayEquals(new double[] {Math.PI, -1e300, 0.1}, s.readDoubles("d"));
            assertArrayEquals(new long[] {3, 1, 1, 1}, s.info("d").shape());
            assertMentions(assertThrows(ModelInputException.class, () -> s.info("position_ids")), "torch.LongStorage");
        }
    }

    @Test
    void namesWithControlCharactersCannotForgeMessageLines() throws IOException {
        new TorchCheckpointWriter().floats("w\n[INFO] BUILD SUCCESS", new long[] {1}, new float[] {1}).write(bin());
        assertMentions(refused(), "control characters", "w\\u000a[INFO] BUILD SUCCESS");
        new TorchCheckpointWriter().storage("../../x", "FloatStorage", 1, new byte[4])
                .tensor("w", "../../x", 0, new long[] {1}, new long[] {1}).write(bin());
        assertMentions(refused(), "storage key is '../../x'");
        new TorchCheckpointWriter().storage("0", "FloatStorage", 1, new byte[4]).tensor("w", "0", 0, new long[] {1},
                new long[] {1}).extraEntry("pytorch_model/evil\r\nname", new byte[0]).write(bin());
        assertMentions(refused(), "control characters", "evil\\u000d\\u000aname");
    }

    @Test
    void unknownStorageTypeIsRefused() throws IOException {
        new TorchCheckpointWriter().storage("0", "ComplexFloatStorage", 1, new byte[8])
                .tensor("w", "0", 0, new long[] {1}, new long[] {1}).write(bin());
        assertMentions(refused(), "torch.ComplexFloatStorage", "torch.FloatStorage");
    }

    @Test
    void nonContiguousStridesAreRefused() throws IOException {
        new TorchCheckpointWriter().storage("0", "FloatStorage", 6, new byte[24])
                .tensor("transposed", "0", 0, new long[] {2, 3}, new long[] {1, 2}).write(bin());
        assertMentions(refused(), "'transposed'", "contiguous", "[1, 2]");
    }

    @Test
    void offsetsAndSizesBeyondTheStorageAreRefused() throws IOException {
        new TorchCheckpointWriter().storage("0", "FloatStorage", 6, new byte[24])
                .tensor("w", "0", 2, new long[] {5}, new long[] {1}).write(bin());
        assertMentions(refused(), "'w'", "holds only 6 elements");
        new TorchCheckpointWriter().storage("0", "FloatStorage", 6, new byte[24])
                .tensor("w", "0", Long.MAX_VALUE - 1, new long[] {5}, new long[] {1}).write(bin());
        assertMentions(refused(), "'w'", "holds only 6 elements");
        new TorchCheckpointWriter().storage("0", "FloatStorage", 6, new byte[24])
                .tensor("w", "0", 0, new long[] {1L << 40, 1L << 40}, new long[] {1L << 40, 1}).write(bin());
        assertMentions(refused(), "'w'", "more elements than a long");
    }

    @Test
    void storageSizeThatDisagreesWithThePickleIsRefused() throws IOException {
        new TorchCheckpointWriter().storage("0", "FloatStorage", 100, new byte[24])
                .tensor("w", "0", 0, new long[] {6}, new long[] {1}).write(bin());
        assertMentions(refused(), "'w'", "holds 24 bytes", "400 bytes");
    }

    @Test
    void storageMissingFromTheZipIsRefused() throws IOException {
        new TorchCheckpointWriter().floats("w", new long[] {2}, new float[] {1, 2}).omitStorage("0").write(bin());
        assertMentions(refused(), "'w'", "pytorch_model/data/0", "missing");
    }

    @Test
    void truncatedPickleAtEveryLengthGivesAClearError() throws IOException {
        byte[] full = new TorchCheckpointWriter().floats("w", new long[] {2, 2}, new float[] {1, 2, 3, 4})
                .floats("v", new long[] {1}, new float[] {5}).statePickle();
        for (int cut = 0; cut < full.length; cut++) {
            new TorchCheckpointWriter().floats("w", new long[] {2, 2}, new float[] {1, 2, 3, 4})
                    .floats("v", new long[] {1}, new float[] {5}).pickle(Arrays.copyOf(full, cut)).write(bin());
            ModelInputException e = refused();
            assertTrue(e.getMessage().contains("truncated"), cut + ": " + e.getMessage());
        }
    }

    @Test
    void legacyAndOtherNonZipFilesAreRefused() throws IOException {
        // torch.save(..., _use_new_zipfile_serialization=False) starts with the pickled magic number
        byte[] legacy = new PickleWriter().proto(2).integer(0).bytes();
        byte[] magic = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
            0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e};
        Files.write(bin(), magic);
        assertMentions(refused(), "legacy format");
        Files.write(bin(), legacy);
        assertMentions(refused(), "bare pickle");
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, tar, 257, 5);
        Files.write(bin(), tar);
        assertMentions(refused(), "tar archive");
        Files.writeString(bin(), "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n");
        assertMentions(refused(), "does not start like a zip archive");
        Files.write(bin(), new byte[0]);
        assertMentions(refused(), "does not start like a zip archive");
    }

    @Test
    void bigEndianAndUnknownByteOrdersAreRefused() throws IOException {
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1}).byteorder("big").write(bin());
        assertMentions(refused(), "'big'", "big-endian");
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1}).byteorder("middle").write(bin());
        assertMentions(refused(), "'middle'");
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {3}).byteorder(null).write(bin());
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            assertArrayEquals(new double[] {3}, s.readDoubles("w"));
        }
    }

    @Test
    void zipsThatAreNotTorchCheckpointsAreRefused() throws IOException {
        Map<String, byte[]> notTorch = new LinkedHashMap<>();
        notTorch.put("readme.txt", new byte[] {1});
        TorchCheckpointWriter.writeZip(bin(), notTorch, false);
        assertMentions(refused(), "one top-level folder");
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1})
                .extraEntry("elsewhere/data.pkl", new byte[] {'.'}).write(bin());
        assertMentions(refused(), "'elsewhere/data.pkl'");
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1})
                .extraEntry("pytorch_model/code/__torch__.py", new byte[] {'#'}).write(bin());
        assertMentions(refused(), "TorchScript");
        Map<String, byte[]> noPickle = new LinkedHashMap<>();
        noPickle.put("archive/version", new byte[] {'3'});
        TorchCheckpointWriter.writeZip(bin(), noPickle, false);
        assertMentions(refused(), "archive/data.pkl");
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1})
                .pickle(new PickleWriter().proto(2).op(']').stop().bytes()).write(bin());
        assertMentions(refused(), "a list rather than a state dict");
    }

    @Test
    void truncatedOrCorruptedZipsGiveClearErrorsNeverOtherExceptions() throws IOException {
        float[] values = new float[64];
        Arrays.fill(values, 0.5f);
        new TorchCheckpointWriter().floats("w", new long[] {8, 8}, values).floats("b", new long[] {8}, new float[8])
                .write(bin());
        byte[] good = Files.readAllBytes(bin());
        for (int cut : new int[] {0, 10, good.length / 2, good.length - 23, good.length - 1}) {
            Files.write(bin(), Arrays.copyOf(good, cut));
            refused();
        }
        damagedZips(dir, good, UNIT_TRIALS);
    }

    /**
     * Seeded random damage to the zip of a good checkpoint: every outcome is a correct read or a
     * ModelInputException, nothing else. The unit suite tries {@link #UNIT_TRIALS}; TorchCheckpointHostileIT
     * tries 1000.
     */
    static void damagedZips(Path dir, byte[] good, int trials) throws IOException {
        Path bin = dir.resolve("pytorch_model.bin");
        Random random = new Random(20261124L);
        int reads = 0;
        for (int trial = 0; trial < trials; trial++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(bad.length);
                bad[at] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            Files.write(bin, bad);
            try (TensorSource s = TorchCheckpoints.open(dir)) {
                for (String name : s.names()) {
                    assertEquals(s.info(name).elementCount(), s.readDoubles(name).length);
                }
                reads++;
            } catch (ModelInputException expected) {
                assertFalse(expected.getMessage().isBlank());
            }
        }
        assertTrue(reads > 0, "some mutations (in stored data) must still read");
    }

    @Test
    void randomlyMutatedPicklesEndInAReadOrAClearErrorNeverAnotherException() throws IOException {
        mutatedPickles(dir, 2 * UNIT_TRIALS);
    }

    /**
     * Seeded mutations of a state dict's pickle: each ends in a correct read or a one-paragraph
     * ModelInputException, and both happen. The unit suite tries {@code 2 * UNIT_TRIALS}; TorchCheckpointHostileIT
     * tries 2000.
     */
    static void mutatedPickles(Path dir, int trials) throws IOException {
        TorchCheckpointWriter base = new TorchCheckpointWriter()
                .floats("w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .floats("v", new long[] {3}, new float[] {7, 8, 9})
                .parameter("p", "0", 2, new long[] {2}, new long[] {1});
        byte[] good = base.statePickle();
        Path bin = dir.resolve("pytorch_model.bin");
        Random random = new Random(8L);
        int reads = 0;
        int refusals = 0;
        for (int trial = 0; trial < trials; trial++) {
            byte[] bad = mutate(good, random);
            base.pickle(bad).write(bin);
            try (TensorSource s = TorchCheckpoints.open(dir)) {
                for (String name : s.names()) {
                    assertEquals(s.info(name).elementCount(), s.readDoubles(name).length);
                }
                reads++;
            } catch (ModelInputException expected) {
                assertFalse(expected.getMessage().contains("\n"));
                refusals++;
            }
        }
        assertTrue(reads > 0 && refusals > 0, reads + " reads, " + refusals + " refusals");
    }

    /** Flips, overwrites with interesting opcodes, inserts or deletes a few bytes. */
    private static byte[] mutate(byte[] good, Random random) {
        byte[] opcodes = {'c', 'R', 'b', 'Q', '(', 't', 'u', 's', 'h', 'q', '.', (byte) 0x81, (byte) 0x93, 'i', 'o'};
        byte[] b = good.clone();
        for (int m = 0, n = 1 + random.nextInt(3); m < n; m++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0:
                    b[at] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 1:
                    b[at] = opcodes[random.nextInt(opcodes.length)];
                    break;
                case 2:
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                    break;
                default:
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
            }
        }
        return b;
    }

    @Test
    void deflatedEntryClaimingMoreThanDeflateCanExpandIsRefusedAsABomb() throws IOException {
        new TorchCheckpointWriter().deflate(true).floats("w", new long[] {4}, new float[] {1, 2, 3, 4}).write(bin());
        byte[] zip = Files.readAllBytes(bin());
        byte[] name = "pytorch_model/data/0".getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int p = 0; p + 46 + name.length <= zip.length; p++) {
            if (b.getInt(p) == 0x02014b50 && b.getShort(p + 28) == name.length
                    && Arrays.equals(Arrays.copyOfRange(zip, p + 46, p + 46 + name.length), name)) {
                b.putInt(p + 24, 0x7FFFFFF0); // uncompressed size
                patched++;
            }
        }
        assertEquals(1, patched);
        Files.write(bin(), zip);
        assertMentions(refused(), "'pytorch_model/data/0'", "claims 2147483632 bytes");
    }

    @Test
    void shardNamesThatLeaveTheModelDirectoryAreRefused() throws IOException {
        Path outside = dir.resolve("outside");
        Path model = dir.resolve("model");
        Files.createDirectories(outside);
        Files.createDirectories(model);
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1}).write(outside.resolve("shard.bin"));
        String[] escapes = {"../outside/shard.bin", outside.resolve("shard.bin").toString(), "sub/../../outside/shard.bin",
            "..\\outside\\shard.bin", ""};
        for (String shard : escapes) {
            Files.writeString(model.resolve("pytorch_model.bin.index.json"),
                    "{\"weight_map\": {\"w\": \"" + shard.replace("\\", "\\\\") + "\"}}");
            ModelInputException e = assertThrows(ModelInputException.class, () -> TorchCheckpoints.open(model));
            assertMentions(e, "pytorch_model.bin.index.json", "Shard names must be relative paths inside the model directory");
        }
        Files.createSymbolicLink(model.resolve("link.bin"), outside.resolve("shard.bin"));
        Files.writeString(model.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": {\"w\": \"link.bin\"}}");
        assertMentions(assertThrows(ModelInputException.class, () -> TorchCheckpoints.open(model)), "symbolic link");
        Files.writeString(model.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": {\"w\": \"gone.bin\"}}");
        assertMentions(assertThrows(ModelInputException.class, () -> TorchCheckpoints.open(model)), "gone.bin",
                "does not exist");
        Files.writeString(model.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": ");
        assertMentions(assertThrows(ModelInputException.class, () -> TorchCheckpoints.open(model)), "not valid JSON");
        Files.copy(outside.resolve("shard.bin"), model.resolve("shard.bin"));
        Files.writeString(model.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": {\"v\": \"shard.bin\"}}");
        assertMentions(assertThrows(ModelInputException.class, () -> TorchCheckpoints.open(model)), "'v'",
                "does not hold it");
        // a relative model directory resolves its shards the same way
        Files.writeString(model.resolve("pytorch_model.bin.index.json"), "{\"weight_map\": {\"w\": \"shard.bin\"}}");
        Path relative = Path.of("").toAbsolutePath().relativize(model);
        try (TensorSource s = TorchCheckpoints.open(relative)) {
            assertArrayEquals(new double[] {1}, s.readDoubles("w"));
        }
    }
}

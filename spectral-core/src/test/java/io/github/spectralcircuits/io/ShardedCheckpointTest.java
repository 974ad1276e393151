package io.github.spectralcircuits.io;

import io.github.spectralcircuits.model.TensorSources;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.testing.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedCheckpointTest {
    @TempDir
    Path tmp;

    private static double[] values(int n, double offset) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = offset + i * 0.5;
        }
        return v;
    }

    private static SafetensorsWriter fourTensors() {
        return new SafetensorsWriter()
                .add("embed.weight", DType.F32, values(12, 1), 4, 3)
                .add("layers.0.q.weight", DType.BF16, values(9, -2), 3, 3)
                .add("layers.0.k.weight", DType.F16, values(6, 3), 2, 3)
                .add("norm.weight", DType.F32, values(3, 7), 3);
    }

    private static String failure(Path dir) {
        ModelInputException e = assertThrows(ModelInputException.class, () -> TensorSources.open(dir).close());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void oneSourceOverAllShards() {
        Path dir = tmp.resolve("m");
        Map<String, String> weightMap = fourTensors().writeSharded(dir, 3);
        assertEquals(3, Set.copyOf(weightMap.values()).size());
        try (TensorSource s = TensorSources.open(dir)) {
            assertEquals(List.of("embed.weight", "layers.0.q.weight", "layers.0.k.weight", "norm.weight"), List.copyOf(s.names()));
            assertEquals(dir.toAbsolutePath().normalize(), s.directory());
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                assertEquals(e.getValue(), s.info(e.getKey()).file().getFileName().toString());
            }
            assertArrayEquals(values(9, -2), s.readDoubles("layers.0.q.weight"), 0.0); // halves: exact in BF16
            assertArrayEquals(values(6, 3), s.readDoubles("layers.0.k.weight"), 0.0);
            double[] rows = new double[6];
            s.rowMatrix("embed.weight").readRows(2, 2, rows);
            assertArrayEquals(java.util.Arrays.copyOfRange(values(12, 1), 6, 12), rows, 0.0);
            assertEquals(DType.F32, s.dtype()); // 60 bytes of F32 against 18 of BF16 and 12 of F16
            ModelInputException missing = assertThrows(ModelInputException.class, () -> s.info("lm_head.weight"));
            assertTrue(missing.getMessage().contains("has no tensor 'lm_head.weight' (looked in model.safetensors.index.json and its 3 shards)"),
                    missing.getMessage());
        }
    }

    @Test
    void singleFileIsPreferredOverTheIndex() {
        Path dir = tmp.resolve("both");
        fourTensors().writeSharded(dir, 2);
        new SafetensorsWriter().add("only", DType.F64, values(2, 0), 2).write(dir.resolve("model.safetensors"));
        try (TensorSource s = TensorSources.open(dir)) {
            assertEquals(Set.of("only"), s.names());
            assertEquals(DType.F64, s.dtype());
        }
    }

    @Test
    void missingShardIsNamed() throws Exception {
        Path dir = tmp.resolve("missing");
        fourTensors().writeSharded(dir, 2);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        String m = failure(dir);
        assertTrue(m.contains("lists shard model-00002-of-00002.safetensors (holding 2 tensors)"), m);
        assertTrue(m.contains("does not exist"), m);
    }

    @Test
    void tensorMappedToAShardThatLacksItIsNamed() {
        Path dir = tmp.resolve("wrong");
        Map<String, String> map = new LinkedHashMap<>(fourTensors().writeSharded(dir, 2));
        map.put("norm.weight", "model-00001-of-00002.safetensors");
        SafetensorsWriter.writeIndex(dir, map);
        String m = failure(dir);
        assertTrue(m.contains("maps tensor 'norm.weight' to shard model-00001-of-00002.safetensors, but that shard has no such tensor"), m);
    }

    @Test
    void shardNamesMayNotEscapeTheDirectory() throws Exception {
        Path dir = tmp.resolve("models/victim");
        Map<String, String> good = fourTensors().writeSharded(dir, 1);
        // a perfectly valid safetensors file outside the model directory, as bait
        Path outside = new SafetensorsWriter().add("embed.weight", DType.F32, values(12, 1), 4, 3)
                .write(tmp.resolve("models/outside.safetensors"));
        for (String hostile : List.of("../outside.safetensors", "sub/../../outside.safetensors", outside.toString(),
                "/etc/passwd", "..")) {
            Map<String, String> map = new LinkedHashMap<>(good);
            map.put("embed.weight", hostile);
            SafetensorsWriter.writeIndex(dir, map);
            String m = failure(dir);
            assertTrue(m.contains("names shard \"" + hostile + "\", which "), m);
            assertTrue(m.contains(hostile.startsWith("/") ? "is an absolute path" : "climbs out of the directory with \"..\""), m);
            assertTrue(m.contains("Shard names must be relative paths inside the model directory"), m);
        }
    }

    @Test
    void symbolicLinksMayNotLeadOutOfTheDirectory() throws Exception {
        Path dir = tmp.resolve("linked");
        Map<String, String> map = fourTensors().writeSharded(dir, 2);
        Path moved = tmp.resolve("elsewhere/shard2.safetensors");
        Files.createDirectories(moved.getParent());
        Files.move(dir.resolve("model-00002-of-00002.safetensors"), moved);
        Files.createSymbolicLink(dir.resolve("model-00002-of-00002.safetensors"), moved);
        String m = failure(dir);
        assertTrue(m.contains("lists shard model-00002-of-00002.safetensors, which is a symbolic link to " + moved.toRealPath()
                + ", outside the model directory"), m);

        // a link that stays inside the directory is fine
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        Files.createDirectories(dir.resolve("blobs"));
        Files.move(moved, dir.resolve("blobs/abc"));
        Files.createSymbolicLink(dir.resolve("model-00002-of-00002.safetensors"), dir.resolve("blobs/abc"));
        try (TensorSource s = TensorSources.open(dir)) {
            assertEquals(map.keySet(), s.names());
            assertArrayEquals(values(3, 7), s.readDoubles("norm.weight"), 0.0);
        }
    }

    @Test
    void brokenIndexFiles() throws Exception {
        Path dir = tmp.resolve("index");
        fourTensors().writeSharded(dir, 2);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"weight_map\": ");
        assertTrue(failure(dir).contains(index + " is not valid JSON"));
        Files.writeString(index, "[]");
        assertTrue(failure(dir).contains(index + " is not a JSON object with a \"weight_map\""));
        Files.writeString(index, "{\"metadata\": {}}");
        assertTrue(failure(dir).contains(index + " has no \"weight_map\" object"));
        Files.writeString(index, "{\"weight_map\": {}}");
        assertTrue(failure(dir).contains("has an empty \"weight_map\""));
        Files.writeString(index, "{\"weight_map\": {\"a\": 3}}");
        assertTrue(failure(dir).contains("\"weight_map\" gives 3 for tensor 'a', but each entry must be a shard file name"));
        Files.writeString(index, "{\"weight_map\": {\"a\": \"x.safetensors\", \"a\": \"y.safetensors\"}}");
        assertTrue(failure(dir).contains("Duplicate field 'a'"));
        Files.writeString(index, "{\"weight_map\": {\"a\": \"\"}}");
        assertTrue(failure(dir).contains("names shard \"\", which is empty"));
    }

    @Test
    void directoryWithoutWeightsListsWhatWasLookedFor() throws Exception {
        Path dir = tmp.resolve("empty");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.write(dir.resolve("adapter_model.safetensors"), new byte[0]);
        String m = failure(dir);
        assertTrue(m.contains("holds no model weights: looked for model.safetensors, model.safetensors.index.json, "
                + "pytorch_model.bin and pytorch_model.bin.index.json"), m);
        assertTrue(m.contains("the directory does have adapter_model.safetensors"), m);

        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1});
        String torch = failure(dir); // now read by io.torch: a one-byte file is no torch.save zip
        assertTrue(torch.contains(dir.resolve("pytorch_model.bin") + ": it does not start like a zip archive"), torch);

        assertTrue(failure(tmp.resolve("nowhere")).contains("The model directory " + tmp.resolve("nowhere") + " does not exist"));
        assertTrue(failure(dir.resolve("config.json")).contains("config.json is not a directory"));
    }
}

package io.github.spectralcircuits.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.spectralcircuits.io.ModelJson;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model directory resolution with PyTorch weights: stories260k stored as pytorch_model.bin loads
 * through ModelLoader into exactly the model the safetensors copy gives, and safetensors win when both
 * formats are present (the .bin is then not even opened).
 */
class PytorchModelDirectoryTest {
    private static final Path EXAMPLE = Path.of("../examples/stories260k");

    @TempDir
    Path dir;

    private void writeStoriesAsBin(Path target) throws IOException {
        TorchCheckpointWriter w = new TorchCheckpointWriter();
        SafetensorsF32.read(EXAMPLE.resolve("model.safetensors")).forEach((n, t) -> w.floats(n, t.shape(), t.values()));
        w.write(target.resolve("pytorch_model.bin"));
        Files.copy(EXAMPLE.resolve("config.json"), target.resolve("config.json"));
    }

    @Test
    void storiesAsPytorchModelBinLoadsTheSameModelAsFromSafetensors() throws IOException {
        writeStoriesAsBin(dir);
        try (TransformerModel bin = ModelLoader.open(dir); TransformerModel st = ModelLoader.open(EXAMPLE)) {
            assertEquals(st.info().vocabSize(), bin.info().vocabSize());
            assertEquals(st.info().nLayers(), bin.info().nLayers());
            assertEquals(st.info().nKvHeads(), bin.info().nKvHeads());
            assertEquals(st.info().dtype(), bin.info().dtype());
            assertSameRows(st.embedding(), bin.embedding());
            assertSameRows(st.unembeddingTransposed(), bin.unembeddingTransposed());
            assertArrayEquals(st.finalNormGain(), bin.finalNormGain());
            for (int l = 0; l < st.info().nLayers(); l++) {
                LayerWeights a = st.layer(l);
                LayerWeights b = bin.layer(l);
                assertArrayEquals(a.attnNormGain(), b.attnNormGain());
                assertArrayEquals(a.wQ().data, b.wQ().data, "wQ " + l);
                assertArrayEquals(a.wK().data, b.wK().data, "wK " + l);
                assertArrayEquals(a.wV().data, b.wV().data, "wV " + l);
                assertArrayEquals(a.wO().data, b.wO().data, "wO " + l);
            }
        }
    }

    private static void assertSameRows(RowMatrix expected, RowMatrix actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        double[] e = new double[expected.rows() * expected.cols()];
        double[] a = new double[e.length];
        expected.readRows(0, expected.rows(), e);
        actual.readRows(0, actual.rows(), a);
        assertArrayEquals(e, a);
    }

    @Test
    void safetensorsWinOverAHostileBinNextToThem() throws IOException {
        Path marker = dir.resolve("marker");
        PickleWriter p = new PickleWriter().proto(2).global("posix", "system");
        p.string("touch " + marker, false).closeTuple(1);
        new TorchCheckpointWriter().floats("w", new long[] {1}, new float[] {1}).pickle(p.op('R').stop().bytes())
                .write(dir.resolve("pytorch_model.bin"));
        Files.copy(EXAMPLE.resolve("config.json"), dir.resolve("config.json"));
        // only the .bin: refused, naming the global
        ModelInputException e = assertThrows(ModelInputException.class, () -> ModelLoader.open(dir).close());
        assertTrue(e.getMessage().contains("posix.system"), e.getMessage());
        // with model.safetensors beside it the .bin is never opened
        Files.copy(EXAMPLE.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        try (TransformerModel m = ModelLoader.open(dir)) {
            assertEquals(512, m.info().vocabSize());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void shardedBinDirectoryLoadsThroughModelLoader() throws IOException {
        Map<String, SafetensorsF32.Tensor> ref = SafetensorsF32.read(EXAMPLE.resolve("model.safetensors"));
        TorchCheckpointWriter a = new TorchCheckpointWriter();
        TorchCheckpointWriter b = new TorchCheckpointWriter();
        Map<String, String> weightMap = new java.util.LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, SafetensorsF32.Tensor> e : ref.entrySet()) {
            String shard = (i % 2 == 0) ? "pytorch_model-00001-of-00002.bin" : "pytorch_model-00002-of-00002.bin";
            (i % 2 == 0 ? a : b).floats(e.getKey(), e.getValue().shape(), e.getValue().values());
            weightMap.put(e.getKey(), shard);
            i++;
        }
        a.write(dir.resolve("pytorch_model-00001-of-00002.bin"));
        b.write(dir.resolve("pytorch_model-00002-of-00002.bin"));
        ModelJson.MAPPER.writeValue(dir.resolve("pytorch_model.bin.index.json").toFile(), Map.of("weight_map", weightMap));
        Files.copy(EXAMPLE.resolve("config.json"), dir.resolve("config.json"));
        try (TransformerModel bin = ModelLoader.open(dir); TransformerModel st = ModelLoader.open(EXAMPLE)) {
            assertSameRows(st.embedding(), bin.embedding());
            assertArrayEquals(st.layer(4).wO().data, bin.layer(4).wO().data);
        }
    }
}

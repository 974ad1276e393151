package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.testing.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoaderTest {
    @TempDir
    Path tmp;
    Path dir;

    /** The adapter of each test: reads the embedding, or does what the test needs. */
    private record FakeAdapter(Set<String> architectures, BiFunction<ModelConfig, TensorSource, TransformerModel> body)
            implements ArchitectureAdapter {
        @Override
        public TransformerModel adapt(ModelConfig config, TensorSource tensors) {
            return body.apply(config, tensors);
        }
    }

    private static TransformerModel embeddingOnly(ModelConfig config, TensorSource source, Runnable layerAction) {
        RowMatrix e = source.rowMatrix("embed.weight");
        ModelInfo info = new ModelInfo(source.directory().toString(), config.architecture(), e.rows(), e.cols(), 1, 1, 1,
                e.cols(), true, source.dtype().name(), 0.02);
        return new TransformerModel() {
            public ModelInfo info() {
                return info;
            }

            public RowMatrix embedding() {
                return e;
            }

            public RowMatrix unembeddingTransposed() {
                return e;
            }

            public double[] finalNormGain() {
                return new double[e.cols()];
            }

            public LayerWeights layer(int l) {
                if (l != 0) {
                    throw new IndexOutOfBoundsException("layer " + l);
                }
                layerAction.run();
                return null;
            }
        };
    }

    private static List<ArchitectureAdapter> adapters(BiFunction<ModelConfig, TensorSource, TransformerModel> body) {
        return List.of(new FakeAdapter(Set.of("FakeForCausalLM", "OtherFakeLM"), body),
                new FakeAdapter(Set.of("AlsoFakeModel"), (c, s) -> null));
    }

    @BeforeEach
    void writeModel() throws Exception {
        dir = tmp.resolve("model");
        new SafetensorsWriter().add("embed.weight", DType.F16, new double[] {1, 2, 3, 4, 5, 6}, 3, 2)
                .write(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"FakeForCausalLM\"], \"vocab_size\": 3}");
    }

    private String failure(Path d, List<ArchitectureAdapter> adapters) {
        SpectralException e = assertThrows(SpectralException.class, () -> ModelLoader.open(d, adapters).close());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void opensThroughTheAdapterOfTheArchitecture() {
        try (TransformerModel m = ModelLoader.open(dir, adapters((c, s) -> embeddingOnly(c, s, () -> { })))) {
            assertEquals("FakeForCausalLM", m.info().architecture());
            assertEquals(dir.toAbsolutePath().normalize().toString(), m.info().path());
            assertEquals("F16", m.info().dtype());
            double[] rows = new double[4];
            m.embedding().readRows(1, 2, rows);
            assertArrayEquals(new double[] {3, 4, 5, 6}, rows, 0.0);
            assertSame(m.embedding(), m.unembeddingTransposed());
        }
    }

    @Test
    void directoryAndConfigProblems() throws Exception {
        List<ArchitectureAdapter> a = adapters((c, s) -> embeddingOnly(c, s, () -> { }));
        Path none = tmp.resolve("absent");
        assertTrue(failure(none, a).contains("The model directory " + none + " does not exist"));
        assertTrue(failure(dir.resolve("model.safetensors"), a).contains("model.safetensors is not a directory"));

        Path config = dir.resolve("config.json");
        Files.delete(config);
        assertTrue(failure(dir, a).contains(dir + " has no config.json, so the architecture and sizes of the model are unknown"));
        Files.writeString(config, "{\"architectures\": [\"FakeForCausalLM\"],\n \"vocab_size\": 3,,}");
        String notJson = failure(dir, a);
        assertTrue(notJson.contains(config + " is not valid JSON (") && notJson.contains("at line 2"), notJson);
        Files.writeString(config, "");
        assertTrue(failure(dir, a).contains(config + " is not a JSON object (it holds nothing)"));
        Files.writeString(config, "[1]");
        assertTrue(failure(dir, a).contains(config + " is not a JSON object (it holds array)"));
        Files.writeString(config, "{\"architectures\": [\"A\"], \"architectures\": [\"B\"]}");
        assertTrue(failure(dir, a).contains("Duplicate field 'architectures'"));
        Files.writeString(config, "{\"model_type\": \"llama\"}");
        assertTrue(failure(dir, a).contains("has no \"architectures\" list"));
    }

    @Test
    void unsupportedArchitectureNamesItAndTheSupportedOnes() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"BertForMaskedLM\"]}");
        String m = failure(dir, adapters((c, s) -> embeddingOnly(c, s, () -> { })));
        assertTrue(m.contains("names the architecture \"BertForMaskedLM\", which is not supported. "
                + "Supported architectures: AlsoFakeModel, FakeForCausalLM, OtherFakeLM."), m);
        assertTrue(failure(dir, List.of()).contains("Supported architectures: none (no adapters are installed)"));
    }

    @Test
    void unexpectedExceptionsOfTheAdapterAreWrappedAndTheSourceIsClosed() {
        AtomicReference<TensorSource> seen = new AtomicReference<>();
        String m = failure(dir, adapters((c, s) -> {
            seen.set(s);
            throw new NullPointerException("shape was null");
        }));
        assertTrue(m.startsWith("Unexpected failure while reading the model in " + dir.toAbsolutePath().normalize()
                + " (NullPointerException: shape was null)"), m);
        assertTrue(m.contains(dir.resolve("config.json").toAbsolutePath().normalize().toString()), m);
        assertThrows(IllegalStateException.class, () -> seen.get().readDoubles("embed.weight"), "source closed");

        ModelInputException own = new ModelInputException("tensor x has the wrong shape");
        SpectralException passed = assertThrows(SpectralException.class, () -> ModelLoader.open(dir, adapters((c, s) -> {
            seen.set(s);
            throw own;
        })));
        assertSame(own, passed);
        assertThrows(IllegalStateException.class, () -> seen.get().readDoubles("embed.weight"), "source closed");
    }

    @Test
    void lazyLayerReadsAreGuardedAndClosingClosesTheFiles() {
        AtomicReference<TensorSource> seen = new AtomicReference<>();
        TransformerModel m = ModelLoader.open(dir, adapters((c, s) -> {
            seen.set(s);
            return embeddingOnly(c, s, () -> {
                throw new java.nio.BufferUnderflowException();
            });
        }));
        ModelInputException e = assertThrows(ModelInputException.class, () -> m.layer(0));
        assertTrue(e.getMessage().startsWith("Unexpected failure while reading layer 0 in "), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> m.layer(5), "asking for a missing layer is the caller's bug");
        m.close();
        assertThrows(IllegalStateException.class, () -> seen.get().readDoubles("embed.weight"));
    }

    @Test
    void weightFileProblemsPassThroughWithTheirOwnMessage() throws Exception {
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2});
        assertTrue(failure(dir, adapters((c, s) -> embeddingOnly(c, s, () -> { })))
                .contains("model.safetensors is not a valid safetensors file: it is 2 bytes long"));
    }

    /** Runs once the adapters (another module of work) are registered for ServiceLoader. */
    @Test
    void bundledExampleOpensThroughTheInstalledAdapters() {
        assumeTrue(ModelLoader.supportedArchitectures().contains("LlamaForCausalLM"), "no Llama adapter installed yet");
        try (TransformerModel m = ModelLoader.open(Path.of("../examples/stories260k"))) {
            assertEquals("LlamaForCausalLM", m.info().architecture());
            assertEquals(512, m.info().vocabSize());
            assertEquals(64, m.info().dModel());
            assertTrue(m.info().tiedEmbeddings());
        }
    }
}

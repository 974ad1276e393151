package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.testing.FamilyLayouts;
import io.github.spectralcircuits.testing.FamilyLayouts.Layout;
import io.github.spectralcircuits.testing.MapTensorSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same normalised weights, stored in every family's layout, come back unchanged through its adapter. */
class AdapterRoundTripTest {
    private static final Path DIR = Path.of("/models/planted");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        // V, d, L, H, KV, dh, tied: classic multi-head (all families), GQA with head_dim != d/H (Llama family).
        FamilyLayouts.Model mhaTied = FamilyLayouts.random(1, 23, 12, 2, 4, 4, 3, true);
        FamilyLayouts.Model mhaUntied = FamilyLayouts.random(2, 19, 8, 3, 2, 2, 4, false);
        FamilyLayouts.Model gqa = FamilyLayouts.random(3, 17, 10, 2, 6, 3, 4, false);
        FamilyLayouts.Model gqaTied = FamilyLayouts.random(4, 11, 8, 1, 4, 1, 2, true);
        for (FamilyLayouts.Model m : List.of(mhaTied, mhaUntied, gqa, gqaTied)) {
            for (Layout layout : FamilyLayouts.layoutsFor(m)) {
                out.add(Arguments.of(layout, m));
            }
        }
        return out.stream();
    }

    @Test
    void everyLayoutIsExercised() {
        List<Object> seen = cases().map(a -> a.get()[0]).distinct().toList();
        assertEquals(Layout.values().length, seen.size(), "layouts covered: " + seen);
        // The GQA model fits only the Llama family, so at least the Llama layouts see it.
        assertTrue(cases().anyMatch(a -> ((FamilyLayouts.Model) a.get()[1]).nKvHeads() == 1));
    }

    @Test
    void serviceLoaderRegistersOneAdapterPerSupportedArchitecture() {
        Map<String, Integer> count = new HashMap<>();
        for (ArchitectureAdapter a : ServiceLoader.load(ArchitectureAdapter.class)) {
            for (String arch : a.architectures()) {
                count.merge(arch, 1, Integer::sum);
            }
        }
        assertEquals(Map.of("GPT2LMHeadModel", 1, "GPTNeoForCausalLM", 1, "GPTNeoXForCausalLM", 1,
                "LlamaForCausalLM", 1, "MistralForCausalLM", 1, "Qwen2ForCausalLM", 1), count);
    }

    @ParameterizedTest(name = "{0} H={1}")
    @MethodSource("cases")
    void adapterReturnsTheWeightsThatWereStored(Layout layout, FamilyLayouts.Model m) {
        FamilyLayouts.Checkpoint c = FamilyLayouts.write(layout, m);
        MapTensorSource source = c.source(DIR, DType.BF16);
        TransformerModel model = Adapters.forArchitecture(layout.architecture()).adapt(c.modelConfig(DIR), source);

        ModelInfo info = model.info();
        assertEquals(new ModelInfo(DIR.toString(), layout.architecture(), m.vocab(), m.dModel(), m.nLayers(),
                m.nHeads(), m.nKvHeads(), m.dHead(), m.tied(), "BF16", 0.02), info);

        assertArrayEquals(m.embedding(), all(model.embedding()));
        if (m.tied()) {
            assertSame(model.embedding(), model.unembeddingTransposed());
        } else {
            assertArrayEquals(m.unembeddingTransposed(), all(model.unembeddingTransposed()));
        }
        assertArrayEquals(m.finalNormGain(), model.finalNormGain());

        for (int l = 0; l < m.nLayers(); l++) {
            FamilyLayouts.Layer want = m.layers().get(l);
            LayerWeights got = model.layer(l);
            assertEquals(l, got.layer());
            assertEquals(m.nHeads(), got.nHeads());
            assertEquals(m.nKvHeads(), got.nKvHeads());
            assertEquals(m.dHead(), got.dHead());
            assertArrayEquals(want.attnNormGain(), got.attnNormGain());
            assertMatrix(want.wQ(), m.dModel(), m.nHeads() * m.dHead(), got.wQ(), "wQ layer " + l);
            assertMatrix(want.wK(), m.dModel(), m.nKvHeads() * m.dHead(), got.wK(), "wK layer " + l);
            assertMatrix(want.wV(), m.dModel(), m.nKvHeads() * m.dHead(), got.wV(), "wV layer " + l);
            assertMatrix(want.wO(), m.nHeads() * m.dHead(), m.dModel(), got.wO(), "wO layer " + l);
        }
        model.close();
        assertTrue(source.isClosed(), "closing the model closes its tensor source");
    }

    static double[] all(RowMatrix m) {
        double[] v = new double[m.rows() * m.cols()];
        m.readRows(0, m.rows(), v);
        return v;
    }

    static void assertMatrix(double[] want, int rows, int cols, DMatrixRMaj got, String what) {
        assertEquals(rows, got.numRows, what + " rows");
        assertEquals(cols, got.numCols, what + " cols");
        assertArrayEquals(want, got.data, what);
    }
}

package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.testing.FamilyLayouts;
import io.github.spectralcircuits.testing.FamilyLayouts.Layout;
import io.github.spectralcircuits.testing.MapTensorSource;
import io.github.spectralcircuits.testing.ModelAssertions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
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
        Map<String, Integer> once = new HashMap<>();
        for (String arch : List.of("GPT2LMHeadModel", "GPTNeoForCausalLM", "GPTNeoXForCausalLM", "GPTJForCausalLM",
                "OPTForCausalLM", "BloomForCausalLM", "FalconForCausalLM", "GPTBigCodeForCausalLM", "LlamaForCausalLM",
                "MistralForCausalLM", "MixtralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM", "PhiForCausalLM",
                "Phi3ForCausalLM", "GemmaForCausalLM", "Gemma2ForCausalLM", "Olmo2ForCausalLM", "StableLmForCausalLM",
                "Starcoder2ForCausalLM", "CohereForCausalLM")) {
            once.put(arch, 1);
        }
        assertEquals(once, count);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void adapterReturnsTheWeightsThatWereStored(Layout layout, FamilyLayouts.Model m) {
        FamilyLayouts.Checkpoint c = FamilyLayouts.write(layout, m);
        MapTensorSource source = c.source(DIR, DType.BF16);
        TransformerModel model = Adapters.forArchitecture(layout.architecture()).adapt(c.modelConfig(DIR), source);

        assertEquals(new ModelInfo(DIR.toString(), layout.architecture(), m.vocab(), m.dModel(), m.nLayers(),
                m.nHeads(), m.nKvHeads(), m.dHead(), m.tied(), "BF16", 0.02), model.info());
        ModelAssertions.assertSameWeights(m, model);
        model.close();
        assertTrue(source.isClosed(), "closing the model closes its tensor source");
    }
}

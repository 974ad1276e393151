package io.github.spectralcircuits.model;

import static io.github.spectralcircuits.model.PlantedWeightsTest.code;
import static io.github.spectralcircuits.model.PlantedWeightsTest.coded;
import static io.github.spectralcircuits.model.PlantedWeightsTest.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.testing.MapTensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of the family descriptions that a config switches on or off, which the HF fixtures (one
 * configuration per family) do not all reach: value by value on hand-coded tensors, each value telling
 * its stored (row, column). Layouts as Hugging Face's modules split them (Falcon's _split_heads,
 * GPTBigCode's forward); the fixtures check the default configurations against the modules themselves.
 */
class FamilyVariantsTest {
    private static final Path DIR = Path.of("/models/variants");

    static TransformerModel adapt(String json, MapTensorSource s) {
        return new FamilyAdapter().adapt(ModelConfig.fromJson(DIR.resolve("config.json"), json), s);
    }

    static String refusal(String json, MapTensorSource s) {
        ModelInputException e = assertThrows(ModelInputException.class, () -> adapt(json, s));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    /** A Falcon with one layer, its fused matrix coded as tensor 10, [rows, d]. */
    static MapTensorSource falcon(int d, int rows, String norm) {
        return new MapTensorSource(DIR, DType.F32)
                .put("transformer.word_embeddings.weight", coded(1, 5, d), 5, d)
                .put("transformer.ln_f.weight", ramp(d, 1), d)
                .put("transformer.h.0." + norm + ".weight", ramp(d, 2), d)
                .put("transformer.h.0.self_attention.query_key_value.weight", coded(10, rows, d), rows, d)
                .put("transformer.h.0.self_attention.dense.weight", coded(20, d, d), d, d);
    }

    static String falconConfig(String extra) {
        return "{\"architectures\":[\"FalconForCausalLM\"],\"vocab_size\":5,\"hidden_size\":8,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":4" + extra + "}";
    }

    /** Asserts head h's query, key and value are stored rows q(i), k(i), v(i) of tensor 10. */
    static void assertRows(LayerWeights w, int h, int dh, int qRow, int kRow, int vRow) {
        HeadWeights hw = w.head(h);
        for (int j = 0; j < hw.wQ().numRows; j++) {
            for (int i = 0; i < dh; i++) {
                assertEquals(code(10, qRow + i, j), hw.wQ().get(j, i), "q of head " + h);
                assertEquals(code(10, kRow + i, j), hw.wK().get(j, i), "k of head " + h);
                assertEquals(code(10, vRow + i, j), hw.wV().get(j, i), "v of head " + h);
            }
        }
    }

    @Test
    void falconMultiQueryHasOneKeyValueHeadWhateverNumKvHeadsSays() {
        // view(H + 2, dh): queries 0..H-1, then the one key, then the one value
        LayerWeights w = adapt(falconConfig(",\"num_kv_heads\":4"), falcon(8, 12, "input_layernorm")).layer(0);
        assertEquals(1, w.nKvHeads());
        for (int h = 0; h < 4; h++) {
            assertRows(w, h, 2, h * 2, 8, 10);
        }
    }

    @Test
    void falconWithoutMultiQueryIsClassicPerHeadInterleaved() {
        // view(H, 3, dh): per head its query, key and value
        LayerWeights w = adapt(falconConfig(",\"multi_query\":false,\"parallel_attn\":false"),
                falcon(8, 24, "input_layernorm")).layer(0);
        assertEquals(4, w.nKvHeads());
        assertRows(w, 3, 2, 18, 20, 22);
        assertArrayEquals(ramp(8, 2), w.attnNormGain());
    }

    @Test
    void falconNewDecoderGroupsQueriesWithTheirKeyAndValue() {
        // view(KV, H/KV + 2, dh): group g = its two queries, its key, its value; ln_attn is the attention's norm
        LayerWeights w = adapt(falconConfig(",\"new_decoder_architecture\":true,\"num_kv_heads\":2,\"multi_query\":true"),
                falcon(8, 16, "ln_attn")).layer(0);
        assertEquals(2, w.nKvHeads());
        assertRows(w, 0, 2, 0, 4, 6);
        assertRows(w, 1, 2, 2, 4, 6);
        assertRows(w, 2, 2, 8, 12, 14);
        assertRows(w, 3, 2, 10, 12, 14);
        assertArrayEquals(ramp(8, 2), w.attnNormGain());
    }

    @Test
    void bigCodeWithoutMultiQueryIsPerHeadInterleavedAndWithItQueriesThenKeyThenValue() {
        String base = "{\"architectures\":[\"GPTBigCodeForCausalLM\"],\"vocab_size\":5,\"n_embd\":4,\"n_layer\":1,\"n_head\":2";
        MapTensorSource mha = new MapTensorSource(DIR, DType.F32)
                .put("transformer.wte.weight", coded(1, 5, 4), 5, 4).put("transformer.ln_f.weight", ramp(4, 1), 4)
                .put("transformer.h.0.ln_1.weight", ramp(4, 2), 4)
                .put("transformer.h.0.attn.c_attn.weight", coded(10, 12, 4), 12, 4)
                .put("transformer.h.0.attn.c_proj.weight", coded(20, 4, 4), 4, 4);
        LayerWeights w = adapt(base + ",\"multi_query\":false}", mha).layer(0);
        assertEquals(2, w.nKvHeads());
        assertRows(w, 1, 2, 6, 8, 10);
        MapTensorSource mqa = new MapTensorSource(DIR, DType.F32)
                .put("transformer.wte.weight", coded(1, 5, 4), 5, 4).put("transformer.ln_f.weight", ramp(4, 1), 4)
                .put("transformer.h.0.ln_1.weight", ramp(4, 2), 4)
                .put("transformer.h.0.attn.c_attn.weight", coded(10, 8, 4), 8, 4)
                .put("transformer.h.0.attn.c_proj.weight", coded(20, 4, 4), 4, 4);
        LayerWeights q = adapt(base + "}", mqa).layer(0);
        assertEquals(1, q.nKvHeads());
        assertRows(q, 1, 2, 2, 4, 6);
        String m = refusal(base + "}", mha);
        assertTrue(m.contains("[12, 4]") && m.contains("[8, 4]") && m.contains("kv_heads=1 (multi_query=true"), m);
    }

    static MapTensorSource opt() {
        String l = "model.decoder.layers.0.";
        MapTensorSource s = new MapTensorSource(DIR, DType.F32)
                .put("model.decoder.embed_tokens.weight", coded(1, 5, 4), 5, 4)
                .put("model.decoder.final_layer_norm.weight", ramp(4, 1), 4)
                .put(l + "self_attn_layer_norm.weight", ramp(4, 2), 4);
        for (String p : List.of("q", "k", "v", "out")) {
            s.put(l + "self_attn." + p + "_proj.weight", coded(10, 4, 4), 4, 4);
        }
        return s;
    }

    @Test
    void optPostNormLayersHaveNoNormOnTheHeadPathAndProjectedEmbeddingsAreRefused() {
        String base = "{\"architectures\":[\"OPTForCausalLM\"],\"vocab_size\":5,\"hidden_size\":4,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2";
        TransformerModel pre = adapt(base + "}", opt());
        assertArrayEquals(ramp(4, 2), pre.layer(0).attnNormGain());
        assertArrayEquals(ramp(4, 1), pre.finalNormGain());
        TransformerModel post = adapt(base + ",\"do_layer_norm_before\":false}", opt());
        assertNull(post.layer(0).attnNormGain());
        assertArrayEquals(new double[] {1, 1, 1, 1}, post.finalNormGain());
        assertEquals(code(1, 3, 2), read(post.embedding(), 3)[2]);
        adapt(base + ",\"word_embed_proj_dim\":4}", opt());
        String m = refusal(base + ",\"word_embed_proj_dim\":2}", opt());
        assertTrue(m.contains("\"word_embed_proj_dim\": 2") && m.contains("hidden_size=4") && m.contains("project_in"), m);
    }

    /** A Llama-lineage layer of family arch: H = 2, KV = 1, dh = 3, d = 4, with extra tensors. */
    static MapTensorSource llamaLike(boolean inputNorm, String... extra) {
        String l = "model.layers.0.self_attn.";
        MapTensorSource s = new MapTensorSource(DIR, DType.F32)
                .put("model.embed_tokens.weight", coded(1, 5, 4), 5, 4)
                .put("model.norm.weight", ramp(4, 0.5), 4)
                .put(l + "q_proj.weight", coded(10, 6, 4), 6, 4)
                .put(l + "k_proj.weight", coded(11, 3, 4), 3, 4)
                .put(l + "v_proj.weight", coded(12, 3, 4), 3, 4)
                .put(l + "o_proj.weight", coded(13, 4, 6), 4, 6);
        if (inputNorm) {
            s.put("model.layers.0.input_layernorm.weight", ramp(4, 2), 4);
        }
        for (int i = 0; i < extra.length; i += 2) {
            int n = Integer.parseInt(extra[i + 1]);
            s.put(extra[i], ramp(n, 100 + i), n);
        }
        return s;
    }

    static String llamaConfig(String arch, String extra) {
        return "{\"architectures\":[\"" + arch + "\"],\"vocab_size\":5,\"hidden_size\":4,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2,\"num_key_value_heads\":1,\"head_dim\":3" + extra + "}";
    }

    static double[] tiled(double[] g, int times) {
        double[] out = new double[g.length * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(g, 0, out, t * g.length, g.length);
        }
        return out;
    }

    @Test
    void queryAndKeyNormsOfEveryStoredShapeBecomeOneGainPerColumn() {
        // Qwen3: one [dh] gain shared by every head
        LayerWeights qwen3 = adapt(llamaConfig("Qwen3ForCausalLM", ""), llamaLike(true,
                "model.layers.0.self_attn.q_norm.weight", "3", "model.layers.0.self_attn.k_norm.weight", "3")).layer(0);
        assertArrayEquals(tiled(ramp(3, 100), 2), qwen3.queryNormGain());
        assertArrayEquals(ramp(3, 102), qwen3.keyNormGain());
        // OLMo2: one norm over the whole projection; no norm before attention; a norm on the output
        LayerWeights olmo2 = adapt(llamaConfig("Olmo2ForCausalLM", ""), llamaLike(false,
                "model.layers.0.self_attn.q_norm.weight", "6", "model.layers.0.self_attn.k_norm.weight", "3",
                "model.layers.0.post_attention_layernorm.weight", "4")).layer(0);
        assertNull(olmo2.attnNormGain());
        assertArrayEquals(ramp(6, 100), olmo2.queryNormGain());
        assertArrayEquals(ramp(3, 102), olmo2.keyNormGain());
        assertArrayEquals(ramp(4, 104), olmo2.outputNormGain());
        // StableLM: one LayerNorm module per head
        LayerWeights stable = adapt(llamaConfig("StableLmForCausalLM", ",\"qk_layernorm\":true").replace(",\"head_dim\":3", "")
                .replace("\"hidden_size\":4", "\"hidden_size\":6"), stableLm()).layer(0);
        assertArrayEquals(new double[] {100, 101, 102, 104, 105, 106}, stable.queryNormGain());
        assertArrayEquals(new double[] {108, 109, 110}, stable.keyNormGain());
        // Phi and StableLM without their switch read no q/k norm, even where the tensors are there
        LayerWeights off = adapt(llamaConfig("StableLmForCausalLM", "").replace(",\"head_dim\":3", "")
                .replace("\"hidden_size\":4", "\"hidden_size\":6"), stableLm()).layer(0);
        assertNull(off.queryNormGain());
        assertNull(off.keyNormGain());
    }

    /** StableLM with d = 6, H = 2, KV = 1, dh = 3 and per-head q/k LayerNorm modules. */
    static MapTensorSource stableLm() {
        String l = "model.layers.0.self_attn.";
        return new MapTensorSource(DIR, DType.F32)
                .put("model.embed_tokens.weight", coded(1, 5, 6), 5, 6)
                .put("model.norm.weight", ramp(6, 0.5), 6)
                .put("model.layers.0.input_layernorm.weight", ramp(6, 2), 6)
                .put(l + "q_proj.weight", coded(10, 6, 6), 6, 6)
                .put(l + "k_proj.weight", coded(11, 3, 6), 3, 6)
                .put(l + "v_proj.weight", coded(12, 3, 6), 3, 6)
                .put(l + "o_proj.weight", coded(13, 6, 6), 6, 6)
                .put(l + "q_layernorm.norms.0.weight", ramp(3, 100), 3)
                .put(l + "q_layernorm.norms.1.weight", ramp(3, 104), 3)
                .put(l + "k_layernorm.norms.0.weight", ramp(3, 108), 3);
    }

    @Test
    void cohereHasPerHeadQueryKeyNormsAndScalesTheLogits() {
        String l = "model.layers.0.self_attn.";
        MapTensorSource s = llamaLike(true).put(l + "q_norm.weight", ramp(6, 100), 2, 3).put(l + "k_norm.weight", ramp(3, 110), 1, 3);
        TransformerModel m = adapt(llamaConfig("CohereForCausalLM", ",\"use_qk_norm\":true,\"logit_scale\":0.25"), s);
        assertArrayEquals(ramp(6, 100), m.layer(0).queryNormGain());
        assertArrayEquals(ramp(3, 110), m.layer(0).keyNormGain());
        assertEquals(0.25, m.conventions().logitScale());
        assertTrue(m.info().tiedEmbeddings(), "Cohere ties by default");
        assertEquals(0.0625, adapt(llamaConfig("CohereForCausalLM", ""), llamaLike(true)).conventions().logitScale());
    }

    @Test
    void gemmaGainsAreOnePlusTheStoredWeightAndItsEmbeddingIsScaledBySqrtD() {
        String post = "model.layers.0.post_attention_layernorm.weight";
        TransformerModel g2 = adapt(llamaConfig("Gemma2ForCausalLM", ""), llamaLike(true, post, "4"));
        assertArrayEquals(ramp(4, 3), g2.layer(0).attnNormGain(), "1 + (2, 3, 4, 5)");
        assertArrayEquals(ramp(4, 101), g2.layer(0).outputNormGain());
        assertArrayEquals(ramp(4, 1.5), g2.finalNormGain());
        assertEquals(2.0, g2.conventions().embeddingScale(), "sqrt(hidden_size = 4)");
        assertSame(g2.embedding(), g2.unembeddingTransposed(), "tied to the unscaled embedding");
        // Llama's post_attention_layernorm feeds the MLP: not on the head's path
        TransformerModel llama = adapt(llamaConfig("LlamaForCausalLM", ""), llamaLike(true, post, "4"));
        assertNull(llama.layer(0).outputNormGain());
        assertEquals(PathConventions.NONE, llama.conventions());
    }

    @Test
    void bloomFoldsItsEmbeddingLayerNormIntoEveryRowOfWE() {
        int d = 4;
        MapTensorSource s = new MapTensorSource(DIR, DType.F32)
                .put("transformer.word_embeddings.weight", new double[] {1, 2, 3, 6, -1, 0, 0, 1, 5, 5, 5, 5}, 3, d)
                .put("transformer.word_embeddings_layernorm.weight", new double[] {1, 2, 0.5, -1}, d)
                .put("transformer.word_embeddings_layernorm.bias", new double[] {0, 0.1, 0.2, 0.3}, d)
                .put("transformer.ln_f.weight", ramp(d, 1), d)
                .put("transformer.h.0.input_layernorm.weight", ramp(d, 2), d)
                .put("transformer.h.0.self_attention.query_key_value.weight", coded(10, 3 * d, d), 3 * d, d)
                .put("transformer.h.0.self_attention.dense.weight", coded(20, d, d), d, d);
        TransformerModel m = adapt("{\"architectures\":[\"BloomForCausalLM\"],\"vocab_size\":3,\"hidden_size\":4,"
                + "\"n_layer\":1,\"n_head\":2,\"layer_norm_epsilon\":0.01}", s);
        double[] row = read(m.conventions().normalisedEmbedding(), 0);
        // row 0 = (1, 2, 3, 6): mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5
        double inv = 1 / Math.sqrt(3.5 + 0.01);
        assertArrayEquals(new double[] {-2 * inv, -1 * inv * 2 + 0.1, 0.2, -3 * inv + 0.3}, row, 1e-15);
        // a constant row has no variance: only the bias is left
        assertArrayEquals(new double[] {0, 0.1, 0.2, 0.3}, read(m.conventions().normalisedEmbedding(), 2), 1e-12);
        assertArrayEquals(new double[] {1, 2, 3, 6}, read(m.embedding(), 0), "the stored W_E, for the raw analysis and W_U");
        assertSame(m.embedding(), m.unembeddingTransposed());
    }

    static double[] read(io.github.spectralcircuits.linalg.RowMatrix m, int row) {
        double[] r = new double[m.cols()];
        m.readRows(row, 1, r);
        return r;
    }

    @Test
    void classDefaultsApplyOnlyToKeysTheConfigLeavesOut() {
        MapTensorSource s = llamaLike(true, "model.layers.0.self_attn.q_norm.weight", "3",
                "model.layers.0.self_attn.k_norm.weight", "3");
        String noHeadDim = llamaConfig("Qwen3ForCausalLM", "").replace(",\"head_dim\":3", "");
        String m = refusal(noHeadDim, s);
        assertTrue(m.contains("head_dim=128 (the Qwen3 default, as config.json does not set it)"), m);
        // "head_dim": null means derive it, d / H = 2, as the config class does
        String derived = refusal(noHeadDim.replace("}", ",\"head_dim\":null}"), s);
        assertTrue(derived.contains("head_dim=2 (hidden_size/num_attention_heads)"), derived);
    }

    @Test
    void tieWordEmbeddingsTrueTiesAsHuggingFaceDoesEvenWhenACopyIsStored() {
        MapTensorSource s = llamaLike(true).put("lm_head.weight", coded(2, 5, 4), 5, 4);
        TransformerModel tied = adapt(llamaConfig("LlamaForCausalLM", ",\"tie_word_embeddings\":true"), s);
        assertSame(tied.embedding(), tied.unembeddingTransposed());
        TransformerModel untied = adapt(llamaConfig("LlamaForCausalLM", ",\"tie_word_embeddings\":false"), s);
        assertEquals(code(2, 1, 3), read(untied.unembeddingTransposed(), 1)[3]);
        // GPT-NeoX's unembedding under either of its names
        String neox = "{\"architectures\":[\"GPTNeoXForCausalLM\"],\"vocab_size\":5,\"hidden_size\":4,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2,\"tie_word_embeddings\":false}";
        for (String name : List.of("embed_out.weight", "lm_head.weight")) {
            MapTensorSource n = new MapTensorSource(DIR, DType.F32)
                    .put("gpt_neox.embed_in.weight", coded(1, 5, 4), 5, 4)
                    .put("gpt_neox.final_layer_norm.weight", ramp(4, 1), 4)
                    .put("gpt_neox.layers.0.input_layernorm.weight", ramp(4, 2), 4)
                    .put("gpt_neox.layers.0.attention.query_key_value.weight", coded(10, 12, 4), 12, 4)
                    .put("gpt_neox.layers.0.attention.dense.weight", coded(20, 4, 4), 4, 4)
                    .put(name, coded(2, 5, 4), 5, 4);
            assertEquals(code(2, 4, 1), read(adapt(neox, n).unembeddingTransposed(), 4)[1], name);
        }
    }

    @Test
    void aConfigWithoutTieWordEmbeddingsTakesTheClassDefaultAsHuggingFaceDoes() {
        // (transformers 4 leaves the key out where it equals the default, as in GPT-2's config.json)
        MapTensorSource stored = llamaLike(true).put("lm_head.weight", coded(2, 5, 4), 5, 4);
        // Starcoder2's class ties by default: a stored lm_head (torch.save's second name for the embedding) is not W_U
        TransformerModel starcoder = adapt(llamaConfig("Starcoder2ForCausalLM", ""), stored);
        assertSame(starcoder.embedding(), starcoder.unembeddingTransposed());
        assertTrue(starcoder.info().tiedEmbeddings());
        // Llama's does not: the stored lm_head is W_U
        TransformerModel llama = adapt(llamaConfig("LlamaForCausalLM", ""), stored);
        assertEquals(code(2, 1, 3), read(llama.unembeddingTransposed(), 1)[3]);
        assertFalse(llama.info().tiedEmbeddings());
        // ... and where none is stored, the embedding is the one W_U the files hold (Hugging Face's would be random)
        TransformerModel bare = adapt(llamaConfig("LlamaForCausalLM", ""), llamaLike(true));
        assertSame(bare.embedding(), bare.unembeddingTransposed());
    }

    @Test
    void anUnlistedArchitectureGetsOneParagraphListingEverySupportedOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"architectures\":[\"MambaForCausalLM\"],\"vocab_size\":5}");
        ModelInputException e = assertThrows(ModelInputException.class, () -> ModelLoader.open(dir));
        String m = e.getMessage();
        assertTrue(m.contains("names the architecture \"MambaForCausalLM\", which is not supported"), m);
        for (String arch : List.of("BloomForCausalLM", "CohereForCausalLM", "FalconForCausalLM", "GPT2LMHeadModel",
                "GPTBigCodeForCausalLM", "GPTJForCausalLM", "GPTNeoForCausalLM", "GPTNeoXForCausalLM", "Gemma2ForCausalLM",
                "GemmaForCausalLM", "LlamaForCausalLM", "MistralForCausalLM", "MixtralForCausalLM", "OPTForCausalLM",
                "Olmo2ForCausalLM", "Phi3ForCausalLM", "PhiForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM",
                "StableLmForCausalLM", "Starcoder2ForCausalLM")) {
            assertTrue(m.contains(arch), arch + " missing from: " + m);
        }
        assertTrue(!m.contains("\n"));
    }

    @Test
    void denseAndFactoredSpectraAgreeUnderEveryConvention() {
        // the dense path folds on its own (DenseCircuits): W_E normalised and scaled, W_U scaled, q/k/output gains
        // (head 1 of layer 1 of four families: each dense V x V decomposition costs tens of milliseconds)
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings dense = new AnalysisSettings(true, d.nearZeroTolerance(), d.rankTolerance(), false, 42,
                d.highRankFraction(), d.zThreshold(), java.util.Set.of(1), java.util.Set.of(1), true, d.denseTolerance());
        for (String family : List.of("bloom", "cohere", "gemma2", "olmo2")) {
            try (TransformerModel m = ModelLoader.open(Path.of("src/test/resources/hf", family, "safetensors"))) {
                new SpectraAnalyzer(dense, ProgressListener.NONE).analyze(m);
            }
        }
    }

    @Test
    void theControlSharesTheTrainedModelsScalarConventions() {
        ModelInfo info = new ModelInfo("m", "GemmaForCausalLM", 40, 8, 1, 2, 1, 4, true, "F32", 0.02);
        AnalysisSettings s = AnalysisSettings.defaults().withControl(false);
        ModelSpectra plain = new SpectraAnalyzer(s, ProgressListener.NONE).analyze(ControlModel.of(info, 7));
        ModelSpectra scaled = new SpectraAnalyzer(s, ProgressListener.NONE)
                .analyze(ControlModel.of(info, 7, new PathConventions(3.0, null, 0.5)));
        for (int h = 0; h < 2; h++) {
            double[] a = plain.heads().get(h).qk().singularValues();
            double[] b = scaled.heads().get(h).qk().singularValues();
            double[] c = plain.heads().get(h).ov().singularValues();
            double[] e = scaled.heads().get(h).ov().singularValues();
            for (int k = 0; k < a.length; k++) {
                assertEquals(9 * a[k], b[k], 1e-12 * b[0], "QK scales by s^2");
                assertEquals(1.5 * c[k], e[k], 1e-12 * e[0], "OV by s times the logit scale");
            }
        }
    }
}

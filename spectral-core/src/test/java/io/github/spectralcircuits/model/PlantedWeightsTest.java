package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.testing.MapTensorSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Each adapter, value by value, against tensors written by hand in the stored layout (not through
 * FamilyLayouts): every stored value encodes its own (row, column), so a wrong transpose, block or head
 * offset shows up as a wrong code at a known place.
 */
class PlantedWeightsTest {
    private static final Path DIR = Path.of("/models/hand");

    /** Value stored at (row, col) of a tensor tagged t: unique per tensor and position. */
    static double code(int t, int row, int col) {
        return t * 1_000_000 + row * 1000 + col;
    }

    static double[] coded(int t, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                v[r * cols + c] = code(t, r, c);
            }
        }
        return v;
    }

    static double[] ramp(int n, double start) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return v;
    }

    static ModelConfig config(String json) {
        return ModelConfig.fromJson(DIR.resolve("config.json"), json);
    }

    // ---- Llama family: GQA, explicit head_dim, Linear [out, in] ----

    static final int LV = 7, LD = 6, LH = 4, LKV = 2, LDH = 5; // H*dh = 20 != d: head_dim must be read

    static MapTensorSource llama(String p, boolean withLmHead) {
        MapTensorSource s = new MapTensorSource(DIR, DType.F32)
                .put(p + "embed_tokens.weight", coded(1, LV, LD), LV, LD)
                .put(p + "norm.weight", ramp(LD, 0.5), LD);
        for (int l = 0; l < 2; l++) {
            String q = p + "layers." + l + ".";
            s.put(q + "input_layernorm.weight", ramp(LD, 10 * l), LD)
                    .put(q + "self_attn.q_proj.weight", coded(10 + l, LH * LDH, LD), LH * LDH, LD)
                    .put(q + "self_attn.k_proj.weight", coded(20 + l, LKV * LDH, LD), LKV * LDH, LD)
                    .put(q + "self_attn.v_proj.weight", coded(30 + l, LKV * LDH, LD), LKV * LDH, LD)
                    .put(q + "self_attn.o_proj.weight", coded(40 + l, LD, LH * LDH), LD, LH * LDH);
        }
        if (withLmHead) {
            s.put("lm_head.weight", coded(2, LV, LD), LV, LD);
        }
        return s;
    }

    static final String LLAMA_CONFIG = "{\"architectures\":[\"LlamaForCausalLM\"],\"vocab_size\":7,\"hidden_size\":6,"
            + "\"num_hidden_layers\":2,\"num_attention_heads\":4,\"num_key_value_heads\":2,\"head_dim\":5,"
            + "\"initializer_range\":0.01}";

    @Test
    void llamaHeadThreeGetsItsOwnQueryRowsAndSharedKeyValueHeadOne() {
        TransformerModel m = new FamilyAdapter().adapt(config(LLAMA_CONFIG), llama("model.", false));
        LayerWeights layer1 = m.layer(1);
        HeadWeights h3 = layer1.head(3);
        assertEquals(1, h3.kvHead());
        for (int j = 0; j < LD; j++) {
            for (int i = 0; i < LDH; i++) {
                // q_proj row 3*dh+i is output feature i of head 3; as y = x W it is column i of W_Q(3).
                assertEquals(code(11, 3 * LDH + i, j), h3.wQ().get(j, i));
                assertEquals(code(21, 1 * LDH + i, j), h3.wK().get(j, i));
                assertEquals(code(31, 1 * LDH + i, j), h3.wV().get(j, i));
                // o_proj [d, H*dh]: column 3*dh+i becomes row i of W_O(3).
                assertEquals(code(41, j, 3 * LDH + i), h3.wO().get(i, j));
            }
        }
        // Grouped-query attention: heads 2k and 2k+1 read key/value head k.
        for (int k = 0; k < LKV; k++) {
            HeadWeights even = layer1.head(2 * k);
            HeadWeights odd = layer1.head(2 * k + 1);
            assertEquals(k, even.kvHead());
            assertEquals(k, odd.kvHead());
            assertArrayEquals(even.wK().data, odd.wK().data);
            assertArrayEquals(even.wV().data, odd.wV().data);
            assertFalse(java.util.Arrays.equals(even.wQ().data, odd.wQ().data));
            assertEquals(code(20 + 1, k * LDH, 0), even.wK().get(0, 0));
        }
        assertArrayEquals(ramp(LD, 10), layer1.attnNormGain());
        assertArrayEquals(ramp(LD, 0.5), m.finalNormGain());
        ModelInfo info = m.info();
        assertEquals(5, info.dHead());
        assertEquals(2, info.nKvHeads());
        assertEquals(0.01, info.initializerRange());
        assertEquals("F32", info.dtype());
    }

    @Test
    void llamaWithoutLmHeadIsTiedAndWithItIsNot() {
        TransformerModel tied = new FamilyAdapter().adapt(config(LLAMA_CONFIG), llama("", false));
        assertTrue(tied.info().tiedEmbeddings());
        assertSame(tied.embedding(), tied.unembeddingTransposed());

        TransformerModel untied = new FamilyAdapter().adapt(config(LLAMA_CONFIG), llama("", true));
        assertFalse(untied.info().tiedEmbeddings());
        assertNotSame(untied.embedding(), untied.unembeddingTransposed());
        double[] row = new double[LD];
        untied.unembeddingTransposed().readRows(4, 1, row);
        assertEquals(code(2, 4, 3), row[3]);
        untied.embedding().readRows(4, 1, row);
        assertEquals(code(1, 4, 3), row[3]);
    }

    @Test
    void llamaNumKeyValueHeadsDefaultsToHeadsAndHeadDimToDOverH() {
        String json = "{\"architectures\":[\"Qwen2ForCausalLM\"],\"vocab_size\":7,\"hidden_size\":6,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":3,\"head_dim\":null,\"num_key_value_heads\":null}";
        MapTensorSource s = new MapTensorSource(DIR, DType.F16)
                .put("model.embed_tokens.weight", coded(1, 7, 6), 7, 6)
                .put("model.norm.weight", ramp(6, 1), 6)
                .put("model.layers.0.input_layernorm.weight", ramp(6, 1), 6)
                .put("model.layers.0.self_attn.q_proj.weight", coded(10, 6, 6), 6, 6)
                .put("model.layers.0.self_attn.k_proj.weight", coded(20, 6, 6), 6, 6)
                .put("model.layers.0.self_attn.v_proj.weight", coded(30, 6, 6), 6, 6)
                .put("model.layers.0.self_attn.o_proj.weight", coded(40, 6, 6), 6, 6);
        TransformerModel m = new FamilyAdapter().adapt(config(json), s);
        assertEquals(3, m.info().nKvHeads());
        assertEquals(2, m.info().dHead());
        assertEquals(0.02, m.info().initializerRange());
        assertEquals("F16", m.info().dtype());
        HeadWeights h2 = m.layer(0).head(2);
        assertEquals(2, h2.kvHead());
        assertEquals(code(20, 2 * 2 + 1, 4), h2.wK().get(4, 1));
    }

    @Test
    void layersAreReadAfreshOnEachCall() {
        MapTensorSource s = llama("model.", false);
        TransformerModel m = new FamilyAdapter().adapt(config(LLAMA_CONFIG), s);
        String q = "model.layers.0.self_attn.q_proj.weight";
        int before = s.reads(q);
        LayerWeights first = m.layer(0);
        first.wQ().set(0, 0, -1);
        LayerWeights second = m.layer(0);
        assertEquals(before + 2, s.reads(q));
        assertEquals(code(10, 0, 0), second.wQ().get(0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.layer(2));
    }

    // ---- GPT-2: Conv1D [in, out], c_attn = [Q|K|V] column blocks ----

    @Test
    void gpt2HeadTwoIsColumnsOfEachConv1DBlock() {
        int v = 5, d = 6, h = 3, dh = 2;
        String json = "{\"architectures\":[\"GPT2LMHeadModel\"],\"vocab_size\":5,\"n_embd\":6,\"n_layer\":1,\"n_head\":3}";
        MapTensorSource s = new MapTensorSource(DIR, DType.F32)
                .put("wte.weight", coded(1, v, d), v, d)
                .put("ln_f.weight", ramp(d, 2), d)
                .put("h.0.ln_1.weight", ramp(d, 3), d)
                .put("h.0.attn.c_attn.weight", coded(10, d, 3 * d), d, 3 * d)
                .put("h.0.attn.c_proj.weight", coded(20, d, d), d, d);
        TransformerModel m = new FamilyAdapter().adapt(config(json), s);
        HeadWeights h2 = m.layer(0).head(2);
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < dh; i++) {
                assertEquals(code(10, j, 2 * dh + i), h2.wQ().get(j, i));
                assertEquals(code(10, j, d + 2 * dh + i), h2.wK().get(j, i));
                assertEquals(code(10, j, 2 * d + 2 * dh + i), h2.wV().get(j, i));
                assertEquals(code(20, 2 * dh + i, j), h2.wO().get(i, j));
            }
        }
        assertTrue(m.info().tiedEmbeddings(), "no lm_head and no tie key: GPT-2's default is tied");
        assertEquals(h, m.info().nKvHeads());
        assertArrayEquals(ramp(d, 3), m.layer(0).attnNormGain());
    }

    @Test
    void gpt2AcceptsTheGenericSizeKeys() {
        String json = "{\"architectures\":[\"GPT2LMHeadModel\"],\"vocab_size\":5,\"hidden_size\":6,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":2,\"tie_word_embeddings\":false}";
        MapTensorSource s = new MapTensorSource(DIR, DType.F32)
                .put("transformer.wte.weight", coded(1, 5, 6), 5, 6)
                .put("transformer.ln_f.weight", ramp(6, 2), 6)
                .put("transformer.h.0.ln_1.weight", ramp(6, 3), 6)
                .put("transformer.h.0.attn.c_attn.weight", coded(10, 6, 18), 6, 18)
                .put("transformer.h.0.attn.c_proj.weight", coded(20, 6, 6), 6, 6)
                .put("lm_head.weight", coded(2, 5, 6), 5, 6);
        TransformerModel m = new FamilyAdapter().adapt(config(json), s);
        assertEquals(3, m.info().dHead());
        assertFalse(m.info().tiedEmbeddings());
        // head 1's key: the K block starts at column d = 6, head 1 at 6 + 3.
        assertEquals(code(10, 4, 6 + 3 + 2), m.layer(0).head(1).wK().get(4, 2));
    }

    // ---- GPT-Neo: Linear [out, in] under attn.attention ----

    @Test
    void gptNeoHeadOneIsTransposedLinearRows() {
        int d = 4, dh = 2;
        String json = "{\"architectures\":[\"GPTNeoForCausalLM\"],\"vocab_size\":3,\"hidden_size\":4,\"num_layers\":1,"
                + "\"num_heads\":2,\"tie_word_embeddings\":false}";
        String a = "transformer.h.0.attn.attention.";
        MapTensorSource s = new MapTensorSource(DIR, DType.F32)
                .put("transformer.wte.weight", coded(1, 3, d), 3, d)
                .put("transformer.ln_f.weight", ramp(d, 2), d)
                .put("transformer.h.0.ln_1.weight", ramp(d, 3), d)
                .put(a + "q_proj.weight", coded(10, d, d), d, d)
                .put(a + "k_proj.weight", coded(11, d, d), d, d)
                .put(a + "v_proj.weight", coded(12, d, d), d, d)
                .put(a + "out_proj.weight", coded(13, d, d), d, d)
                .put("lm_head.weight", coded(2, 3, d), 3, d);
        TransformerModel m = new FamilyAdapter().adapt(config(json), s);
        HeadWeights h1 = m.layer(0).head(1);
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < dh; i++) {
                assertEquals(code(10, dh + i, j), h1.wQ().get(j, i));
                assertEquals(code(11, dh + i, j), h1.wK().get(j, i));
                assertEquals(code(12, dh + i, j), h1.wV().get(j, i));
                assertEquals(code(13, j, dh + i), h1.wO().get(i, j));
            }
        }
        assertFalse(m.info().tiedEmbeddings());
        double[] row = new double[d];
        m.unembeddingTransposed().readRows(2, 1, row);
        assertEquals(code(2, 2, 1), row[1]);
    }

    // ---- GPT-NeoX: fused rows grouped (head, {q,k,v}, dh) ----

    @Test
    void gptNeoXUnfusesPerHeadInterleavedRows() {
        int d = 6, heads = 3, dh = 2;
        String json = "{\"architectures\":[\"GPTNeoXForCausalLM\"],\"vocab_size\":4,\"hidden_size\":6,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":3}";
        MapTensorSource s = new MapTensorSource(DIR, DType.F32)
                .put("gpt_neox.embed_in.weight", coded(1, 4, d), 4, d)
                .put("gpt_neox.final_layer_norm.weight", ramp(d, 2), d)
                .put("gpt_neox.layers.0.input_layernorm.weight", ramp(d, 3), d)
                .put("gpt_neox.layers.0.attention.query_key_value.weight", coded(10, 3 * d, d), 3 * d, d)
                .put("gpt_neox.layers.0.attention.dense.weight", coded(20, d, d), d, d)
                .put("embed_out.weight", coded(2, 4, d), 4, d);
        TransformerModel m = new FamilyAdapter().adapt(config(json), s);
        for (int h = 0; h < heads; h++) {
            HeadWeights hw = m.layer(0).head(h);
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < dh; i++) {
                    assertEquals(code(10, (3 * h) * dh + i, j), hw.wQ().get(j, i), "q head " + h);
                    assertEquals(code(10, (3 * h + 1) * dh + i, j), hw.wK().get(j, i), "k head " + h);
                    assertEquals(code(10, (3 * h + 2) * dh + i, j), hw.wV().get(j, i), "v head " + h);
                    assertEquals(code(20, j, h * dh + i), hw.wO().get(i, j), "o head " + h);
                }
            }
        }
        assertFalse(m.info().tiedEmbeddings());
        double[] row = new double[d];
        m.unembeddingTransposed().readRows(3, 1, row);
        assertEquals(code(2, 3, 5), row[5]);
    }
}

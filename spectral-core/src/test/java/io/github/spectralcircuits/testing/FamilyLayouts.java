package io.github.spectralcircuits.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.model.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes one small normalised model in the tensor layout and config.json of each architecture family of
 * SPEC section 3, so tests can show that the same weights read through every adapter give the same model
 * (and the same spectra).
 *
 * <p>Typical use:
 * <pre>{@code
 * FamilyLayouts.Model m = FamilyLayouts.random(7, 32, 8, 2, 4, 2, 3, false); // V,d,L,H,KV,dh,tied
 * for (FamilyLayouts.Layout layout : FamilyLayouts.layoutsFor(m)) {
 *     FamilyLayouts.Checkpoint c = FamilyLayouts.write(layout, m);
 *     c.tensors();      // name -> TestTensor(shape, values), ready for a safetensors writer
 *     c.configJson();   // config.json text
 *     c.source(dir);    // or an in-memory TensorSource
 *     c.writeTo(dir, DType.BF16, 1);   // or files: config.json + model.safetensors (or n shards)
 *     // ModelLoader.open(dir) then gives m.roundedTo(DType.BF16) back
 * }
 * }</pre>
 *
 * <p>Every matrix of {@link Model} is in SPEC section 4's row-vector orientation, row-major. This class
 * converts to the stored layouts on its own (it does not call the adapters), so it is an independent
 * check of them.
 */
public final class FamilyLayouts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FamilyLayouts() {
    }

    /**
     * One layer, raw: attnNormGain [d]; wQ [d, H*dh] (head h = columns h*dh..); wK, wV [d, KV*dh];
     * wO [H*dh, d] (head h = rows h*dh..).
     */
    public record Layer(double[] attnNormGain, double[] wQ, double[] wK, double[] wV, double[] wO) {
    }

    /**
     * A normalised model: embedding W_E [V, d]; unembeddingTransposed W_U^T [V, d] or null when tied;
     * finalNormGain [d]; layers; initializerRange goes into config.json's "initializer_range".
     */
    public record Model(int vocab, int dModel, int nHeads, int nKvHeads, int dHead,
                        double[] embedding, double[] unembeddingTransposed, double[] finalNormGain,
                        List<Layer> layers, double initializerRange) {
        public boolean tied() {
            return unembeddingTransposed == null;
        }

        public int nLayers() {
            return layers.size();
        }

        /**
         * This model with every value as a file of the given dtype stores it (what a reader gives back):
         * compare a model read from an F16 or BF16 file with {@code m.roundedTo(dtype)}.
         */
        public Model roundedTo(DType dtype) {
            List<Layer> rounded = layers.stream().map(l -> new Layer(round(dtype, l.attnNormGain()), round(dtype, l.wQ()),
                    round(dtype, l.wK()), round(dtype, l.wV()), round(dtype, l.wO()))).toList();
            return new Model(vocab, dModel, nHeads, nKvHeads, dHead, round(dtype, embedding),
                    unembeddingTransposed == null ? null : round(dtype, unembeddingTransposed),
                    round(dtype, finalNormGain), rounded, initializerRange);
        }

        /** Families without grouped-query attention or explicit head_dim need KV = H and H*dh = d. */
        public boolean isClassicMultiHead() {
            return nKvHeads == nHeads && nHeads * dHead == dModel;
        }
    }

    /**
     * A model with independent standard normal weights and gains around 1, reproducible from seed. Every
     * value is a float, so an F32 (or F64) file holds it exactly.
     */
    public static Model random(long seed, int vocab, int dModel, int nLayers, int nHeads, int nKvHeads, int dHead,
                               boolean tied) {
        Random r = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < nLayers; l++) {
            layers.add(new Layer(gains(r, dModel), normal(r, dModel * nHeads * dHead),
                    normal(r, dModel * nKvHeads * dHead), normal(r, dModel * nKvHeads * dHead),
                    normal(r, nHeads * dHead * dModel)));
        }
        return new Model(vocab, dModel, nHeads, nKvHeads, dHead, normal(r, vocab * dModel),
                tied ? null : normal(r, vocab * dModel), gains(r, dModel), layers, 0.02);
    }

    /** The stored forms this class can write. "BARE" layouts have no name prefix. */
    public enum Layout {
        /** GPT2LMHeadModel, "transformer." prefix, Conv1D c_attn/c_proj. */
        GPT2("GPT2LMHeadModel"),
        /** GPT2LMHeadModel without prefix and without tie_word_embeddings in config (default: tied). */
        GPT2_BARE("GPT2LMHeadModel"),
        /** GPTNeoForCausalLM, "transformer." prefix, separate Linear projections. */
        GPT_NEO("GPTNeoForCausalLM"),
        GPT_NEO_BARE("GPTNeoForCausalLM"),
        /** GPTNeoXForCausalLM, "gpt_neox." prefix, per-head fused query_key_value. */
        GPT_NEOX("GPTNeoXForCausalLM"),
        GPT_NEOX_BARE("GPTNeoXForCausalLM"),
        /** LlamaForCausalLM, "model." prefix; num_key_value_heads and head_dim written only when needed. */
        LLAMA("LlamaForCausalLM"),
        /** LlamaForCausalLM without prefix, otherwise as LLAMA. */
        LLAMA_BARE("LlamaForCausalLM"),
        /** MistralForCausalLM, "model." prefix, num_key_value_heads and head_dim always explicit. */
        MISTRAL("MistralForCausalLM"),
        /** Qwen2ForCausalLM, "model." prefix, with q/k/v biases (which the circuits ignore). */
        QWEN2("Qwen2ForCausalLM");

        private final String architecture;

        Layout(String architecture) {
            this.architecture = architecture;
        }

        public String architecture() {
            return architecture;
        }

        /** Whether this layout can hold the model (GPT-2, GPT-Neo and NeoX have neither GQA nor head_dim). */
        public boolean fits(Model m) {
            return switch (this) {
                case LLAMA, LLAMA_BARE, MISTRAL, QWEN2 -> true;
                default -> m.isClassicMultiHead();
            };
        }
    }

    /** A model in one family's layout: tensors by stored name, and config.json. */
    public record Checkpoint(Layout layout, Map<String, TestTensor> tensors, ObjectNode config) {
        public String configJson() {
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** config.json as the loader would parse it, said to live in dir. */
        public ModelConfig modelConfig(Path dir) {
            return ModelConfig.fromJson(dir.resolve("config.json"), config.toString());
        }

        /** The tensors as an in-memory source (F32 unless told otherwise). */
        public MapTensorSource source(Path dir) {
            return source(dir, DType.F32);
        }

        public MapTensorSource source(Path dir, DType dtype) {
            return new MapTensorSource(dir, dtype, tensors);
        }

        /**
         * Writes config.json and the tensors in dtype into dir: one {@code model.safetensors} when shards is 1,
         * else that many shards plus {@code model.safetensors.index.json}. Returns dir.
         */
        public Path writeTo(Path dir, DType dtype, int shards) {
            SafetensorsWriter w = new SafetensorsWriter();
            tensors.forEach((name, t) -> w.add(name, dtype, t.values(), t.shape()));
            if (shards == 1) {
                w.write(dir.resolve("model.safetensors"));
            } else {
                w.writeSharded(dir, shards);
            }
            SafetensorsWriter.writeBytes(dir.resolve("config.json"), configJson().getBytes(StandardCharsets.UTF_8));
            return dir;
        }

        /** A copy without one tensor (for missing-tensor tests). */
        public Checkpoint without(String name) {
            Map<String, TestTensor> t = new LinkedHashMap<>(tensors);
            if (t.remove(name) == null) {
                throw new IllegalArgumentException("no tensor " + name + " in " + t.keySet());
            }
            return new Checkpoint(layout, Collections.unmodifiableMap(t), config.deepCopy());
        }

        /** A copy with one tensor replaced or added. */
        public Checkpoint with(String name, TestTensor tensor) {
            Map<String, TestTensor> t = new LinkedHashMap<>(tensors);
            t.put(name, tensor);
            return new Checkpoint(layout, Collections.unmodifiableMap(t), config.deepCopy());
        }
    }

    /** Every layout that can hold m. */
    public static List<Layout> layoutsFor(Model m) {
        return Arrays.stream(Layout.values()).filter(l -> l.fits(m)).toList();
    }

    public static Checkpoint write(Layout layout, Model m) {
        if (!layout.fits(m)) {
            throw new IllegalArgumentException(layout + " cannot hold a model with H=" + m.nHeads() + ", KV="
                    + m.nKvHeads() + ", dh=" + m.dHead() + ", d=" + m.dModel());
        }
        Map<String, TestTensor> t = new LinkedHashMap<>();
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(layout.architecture());
        c.put("vocab_size", m.vocab());
        c.put("initializer_range", m.initializerRange());
        switch (layout) {
            case GPT2, GPT2_BARE -> gpt2(layout == Layout.GPT2 ? "transformer." : "", layout == Layout.GPT2, m, t, c);
            case GPT_NEO, GPT_NEO_BARE -> gptNeo(layout == Layout.GPT_NEO ? "transformer." : "", m, t, c);
            case GPT_NEOX, GPT_NEOX_BARE -> gptNeoX(layout == Layout.GPT_NEOX ? "gpt_neox." : "", m, t, c);
            case LLAMA, LLAMA_BARE, MISTRAL, QWEN2 -> llama(layout, m, t, c);
        }
        return new Checkpoint(layout, Collections.unmodifiableMap(t), c);
    }

    private static void gpt2(String p, boolean writeTieKey, Model m, Map<String, TestTensor> t, ObjectNode c) {
        int d = m.dModel();
        c.put("model_type", "gpt2").put("n_embd", d).put("n_layer", m.nLayers()).put("n_head", m.nHeads());
        t.put(p + "wte.weight", TestTensor.of(m.embedding(), m.vocab(), d));
        t.put(p + "wpe.weight", TestTensor.of(new double[4 * d], 4, d));
        for (int l = 0; l < m.nLayers(); l++) {
            Layer y = m.layers().get(l);
            String h = p + "h." + l + ".";
            // Conv1D stores [in, out]: the row-vector matrices themselves, Q|K|V side by side.
            double[] cAttn = new double[d * 3 * d];
            for (int j = 0; j < d; j++) {
                System.arraycopy(y.wQ(), j * d, cAttn, j * 3 * d, d);
                System.arraycopy(y.wK(), j * d, cAttn, j * 3 * d + d, d);
                System.arraycopy(y.wV(), j * d, cAttn, j * 3 * d + 2 * d, d);
            }
            t.put(h + "ln_1.weight", TestTensor.of(y.attnNormGain(), d));
            t.put(h + "ln_1.bias", TestTensor.of(new double[d], d));
            t.put(h + "attn.c_attn.weight", TestTensor.of(cAttn, d, 3 * d));
            t.put(h + "attn.c_attn.bias", TestTensor.of(new double[3 * d], 3 * d));
            t.put(h + "attn.c_proj.weight", TestTensor.of(y.wO(), d, d));
        }
        t.put(p + "ln_f.weight", TestTensor.of(m.finalNormGain(), d));
        unembedding("lm_head.weight", writeTieKey, m, t, c);
    }

    private static void gptNeo(String p, Model m, Map<String, TestTensor> t, ObjectNode c) {
        int d = m.dModel();
        c.put("model_type", "gpt_neo").put("hidden_size", d).put("num_layers", m.nLayers()).put("num_heads", m.nHeads());
        t.put(p + "wte.weight", TestTensor.of(m.embedding(), m.vocab(), d));
        for (int l = 0; l < m.nLayers(); l++) {
            Layer y = m.layers().get(l);
            String h = p + "h." + l + ".";
            t.put(h + "ln_1.weight", TestTensor.of(y.attnNormGain(), d));
            // Linear stores [out, in]: the transpose of the row-vector matrix.
            t.put(h + "attn.attention.q_proj.weight", TestTensor.of(transpose(y.wQ(), d, d), d, d));
            t.put(h + "attn.attention.k_proj.weight", TestTensor.of(transpose(y.wK(), d, d), d, d));
            t.put(h + "attn.attention.v_proj.weight", TestTensor.of(transpose(y.wV(), d, d), d, d));
            t.put(h + "attn.attention.out_proj.weight", TestTensor.of(transpose(y.wO(), d, d), d, d));
            t.put(h + "attn.attention.out_proj.bias", TestTensor.of(new double[d], d));
        }
        t.put(p + "ln_f.weight", TestTensor.of(m.finalNormGain(), d));
        unembedding("lm_head.weight", true, m, t, c);
    }

    private static void gptNeoX(String p, Model m, Map<String, TestTensor> t, ObjectNode c) {
        int d = m.dModel();
        int heads = m.nHeads();
        int dh = m.dHead();
        c.put("model_type", "gpt_neox").put("hidden_size", d).put("num_hidden_layers", m.nLayers())
                .put("num_attention_heads", heads).put("rotary_pct", 0.25);
        t.put(p + "embed_in.weight", TestTensor.of(m.embedding(), m.vocab(), d));
        for (int l = 0; l < m.nLayers(); l++) {
            Layer y = m.layers().get(l);
            String h = p + "layers." + l + ".";
            // Output row (head, part, i) with part 0/1/2 = q/k/v; its input weights are column head*dh+i
            // of the row-vector matrix.
            double[][] parts = {y.wQ(), y.wK(), y.wV()};
            double[] fused = new double[3 * d * d];
            for (int head = 0; head < heads; head++) {
                for (int part = 0; part < 3; part++) {
                    for (int i = 0; i < dh; i++) {
                        int row = (head * 3 + part) * dh + i;
                        for (int j = 0; j < d; j++) {
                            fused[row * d + j] = parts[part][j * d + head * dh + i];
                        }
                    }
                }
            }
            t.put(h + "input_layernorm.weight", TestTensor.of(y.attnNormGain(), d));
            t.put(h + "input_layernorm.bias", TestTensor.of(new double[d], d));
            t.put(h + "attention.query_key_value.weight", TestTensor.of(fused, 3 * d, d));
            t.put(h + "attention.query_key_value.bias", TestTensor.of(new double[3 * d], 3 * d));
            t.put(h + "attention.dense.weight", TestTensor.of(transpose(y.wO(), d, d), d, d));
        }
        t.put(p + "final_layer_norm.weight", TestTensor.of(m.finalNormGain(), d));
        unembedding("embed_out.weight", true, m, t, c);
    }

    private static void llama(Layout layout, Model m, Map<String, TestTensor> t, ObjectNode c) {
        int d = m.dModel();
        int qw = m.nHeads() * m.dHead();
        int kvw = m.nKvHeads() * m.dHead();
        boolean explicit = layout == Layout.MISTRAL || layout == Layout.QWEN2;
        c.put("model_type", layout.architecture().replace("ForCausalLM", "").toLowerCase())
                .put("hidden_size", d).put("num_hidden_layers", m.nLayers()).put("num_attention_heads", m.nHeads());
        if (explicit || m.nKvHeads() != m.nHeads()) {
            c.put("num_key_value_heads", m.nKvHeads());
        }
        if (explicit || qw != d) {
            c.put("head_dim", m.dHead());
        }
        String p = layout == Layout.LLAMA_BARE ? "" : "model.";
        t.put(p + "embed_tokens.weight", TestTensor.of(m.embedding(), m.vocab(), d));
        for (int l = 0; l < m.nLayers(); l++) {
            Layer y = m.layers().get(l);
            String h = p + "layers." + l + ".";
            t.put(h + "input_layernorm.weight", TestTensor.of(y.attnNormGain(), d));
            t.put(h + "post_attention_layernorm.weight", TestTensor.of(ones(d), d));
            t.put(h + "self_attn.q_proj.weight", TestTensor.of(transpose(y.wQ(), d, qw), qw, d));
            t.put(h + "self_attn.k_proj.weight", TestTensor.of(transpose(y.wK(), d, kvw), kvw, d));
            t.put(h + "self_attn.v_proj.weight", TestTensor.of(transpose(y.wV(), d, kvw), kvw, d));
            t.put(h + "self_attn.o_proj.weight", TestTensor.of(transpose(y.wO(), qw, d), d, qw));
            if (layout == Layout.QWEN2) {
                t.put(h + "self_attn.q_proj.bias", TestTensor.of(new double[qw], qw));
                t.put(h + "self_attn.k_proj.bias", TestTensor.of(new double[kvw], kvw));
                t.put(h + "self_attn.v_proj.bias", TestTensor.of(new double[kvw], kvw));
            }
        }
        t.put(p + "norm.weight", TestTensor.of(m.finalNormGain(), d));
        unembedding("lm_head.weight", layout != Layout.LLAMA_BARE, m, t, c);
    }

    /** Stores W_U^T under name, or nothing when tied; writes tie_word_embeddings when writeTieKey. */
    private static void unembedding(String name, boolean writeTieKey, Model m, Map<String, TestTensor> t, ObjectNode c) {
        if (!m.tied()) {
            t.put(name, TestTensor.of(m.unembeddingTransposed(), m.vocab(), m.dModel()));
            c.put("tie_word_embeddings", false);
        } else if (writeTieKey) {
            c.put("tie_word_embeddings", true);
        }
    }

    /** The transpose of a row-major [rows, cols] matrix, as row-major [cols, rows]. */
    public static double[] transpose(double[] a, int rows, int cols) {
        double[] out = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = a[i * cols + j];
            }
        }
        return out;
    }

    /** Values as a dtype stores them: F16/BF16 round to nearest even (via the writer's encoder), F32 to float. */
    static double[] round(DType dtype, double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            float f = (float) values[i];
            out[i] = switch (dtype) {
                case F64 -> values[i];
                case F32 -> f;
                case BF16 -> Float.intBitsToFloat((SafetensorsWriter.toBF16(f) & 0xffff) << 16);
                case F16 -> fromF16(SafetensorsWriter.toF16(f));
            };
        }
        return out;
    }

    /** IEEE binary16 to double, written out here so the expected values do not come from the reader under test. */
    private static double fromF16(short h) {
        int sign = (h & 0x8000) != 0 ? -1 : 1;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return mantissa == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exponent == 0) {
            return sign * mantissa * Math.pow(2, -24);
        }
        return sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
    }

    private static double[] normal(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static double[] gains(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1 + 0.5 * r.nextGaussian());
        }
        return v;
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }
}

package io.github.spectralcircuits.model;

import io.github.spectralcircuits.model.ArchitectureFamily.Conventions;
import io.github.spectralcircuits.model.ArchitectureFamily.EmbeddingNorm;
import io.github.spectralcircuits.model.ArchitectureFamily.Fused;
import io.github.spectralcircuits.model.ArchitectureFamily.FusedLayout;
import io.github.spectralcircuits.model.ArchitectureFamily.Gain;
import io.github.spectralcircuits.model.ArchitectureFamily.KvHeads;
import io.github.spectralcircuits.model.ArchitectureFamily.Norm;
import io.github.spectralcircuits.model.ArchitectureFamily.Projections;
import io.github.spectralcircuits.model.ArchitectureFamily.QkNorm;
import io.github.spectralcircuits.model.ArchitectureFamily.QkNormShape;
import io.github.spectralcircuits.model.ArchitectureFamily.ScaleKey;
import io.github.spectralcircuits.model.ArchitectureFamily.Separate;
import io.github.spectralcircuits.model.ArchitectureFamily.Sizes;
import io.github.spectralcircuits.model.ArchitectureFamily.Storage;
import io.github.spectralcircuits.model.ArchitectureFamily.Switch;
import io.github.spectralcircuits.model.ArchitectureFamily.Unsupported;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every architecture family the loader reads, one declaration each, as Hugging Face transformers 5.x
 * names, lays out and uses the tensors (its modelling code is the authority where the specification
 * is silent; src/site/markdown/families.md documents the same table for users).
 */
public final class Families {
    private Families() {
    }

    private static final List<String> HIDDEN = List.of("hidden_size");
    private static final List<String> LAYERS = List.of("num_hidden_layers");
    private static final List<String> HEADS = List.of("num_attention_heads");
    private static final List<String> HEAD_DIM = List.of("head_dim");
    private static final KvHeads KV = new KvHeads(List.of("num_key_value_heads"), null, null);
    private static final Separate LLAMA_ATTENTION = new Separate("self_attn.q_proj.weight", "self_attn.k_proj.weight",
            "self_attn.v_proj.weight", "self_attn.o_proj.weight");
    private static final Norm INPUT_LAYERNORM = Norm.of("input_layernorm.weight");
    private static final Norm MODEL_NORM = Norm.of("norm.weight");

    public static final ArchitectureFamily GPT2 = gpt("GPT-2", "GPT2LMHeadModel")
            .sizes(sizes(List.of("n_embd", "hidden_size"), List.of("n_layer", "num_hidden_layers"),
                    List.of("n_head", "num_attention_heads"), List.of()))
            .projections(new Fused("attn.c_attn.weight", FusedLayout.BLOCKS, Storage.CONV1D, "attn.c_proj.weight", Storage.CONV1D))
            .tied(true).build();

    public static final ArchitectureFamily GPT_NEO = gpt("GPT-Neo", "GPTNeoForCausalLM")
            .sizes(sizes(List.of("hidden_size", "n_embd"), List.of("num_layers", "num_hidden_layers"),
                    List.of("num_heads", "num_attention_heads"), List.of()))
            .projections(new Separate("attn.attention.q_proj.weight", "attn.attention.k_proj.weight",
                    "attn.attention.v_proj.weight", "attn.attention.out_proj.weight"))
            .tied(true).build();

    /** transformers 5.x names the unembedding lm_head in the module but saves it as embed_out; both load. */
    public static final ArchitectureFamily GPT_NEOX = family("GPT-NeoX", "GPTNeoXForCausalLM")
            .prefixes("gpt_neox.", "").embedding("embed_in.weight").layer("layers.%d.")
            .sizes(sizes(HIDDEN, LAYERS, HEADS, List.of()))
            .projections(new Fused("attention.query_key_value.weight", FusedLayout.GROUPED, Storage.LINEAR,
                    "attention.dense.weight", Storage.LINEAR))
            .attentionNorm(INPUT_LAYERNORM).finalNorm(Norm.of("final_layer_norm.weight"))
            .unembedding("embed_out.weight", "lm_head.weight").build();

    public static final ArchitectureFamily GPT_J = gpt("GPT-J", "GPTJForCausalLM")
            .sizes(sizes(List.of("n_embd", "hidden_size"), List.of("n_layer", "num_hidden_layers"),
                    List.of("n_head", "num_attention_heads"), List.of()))
            .projections(new Separate("attn.q_proj.weight", "attn.k_proj.weight", "attn.v_proj.weight", "attn.out_proj.weight"))
            .build();

    /** OPT-350m's post-norm layers and projected embeddings are read as HF does or refused, never guessed. */
    public static final ArchitectureFamily OPT = family("OPT", "OPTForCausalLM")
            .prefixes("model.", "").embedding("decoder.embed_tokens.weight").layer("decoder.layers.%d.")
            .sizes(sizes(HIDDEN, LAYERS, HEADS, List.of()))
            .projections(new Separate("self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                    "self_attn.out_proj.weight"))
            .attentionNorm(Norm.of("self_attn_layer_norm.weight").onlyWhen(Switch.on("do_layer_norm_before", true)))
            .finalNorm(Norm.of("decoder.final_layer_norm.weight").onlyWhen(Switch.on("do_layer_norm_before", true),
                    Switch.off("_remove_final_layer_norm", false)))
            .unsupported(new Unsupported("word_embed_proj_dim", "its embeddings are projected to d_model by "
                    + "project_in/project_out (as in opt-350m), which the direct-path circuits do not model"))
            .tied(true).build();

    public static final ArchitectureFamily BLOOM = family("BLOOM", "BloomForCausalLM")
            .prefixes("transformer.", "").embedding("word_embeddings.weight").layer("h.%d.")
            .sizes(sizes(List.of("hidden_size", "n_embed"), List.of("n_layer", "num_hidden_layers"),
                    List.of("n_head", "num_attention_heads"), List.of()))
            .projections(new Fused("self_attention.query_key_value.weight", FusedLayout.GROUPED, Storage.LINEAR,
                    "self_attention.dense.weight", Storage.LINEAR))
            .attentionNorm(INPUT_LAYERNORM).finalNorm(Norm.of("ln_f.weight"))
            .conventions(new Conventions(false, new EmbeddingNorm("word_embeddings_layernorm.weight",
                    "word_embeddings_layernorm.bias", "layer_norm_epsilon", 1e-5), null))
            .tied(true).build();

    /**
     * Multi-query (Falcon-7B: one key/value head), classic multi-head (multi_query=false) and the new
     * decoder architecture (Falcon-40B: num_kv_heads groups), all in one fused matrix grouped per key/value head.
     */
    public static final ArchitectureFamily FALCON = family("Falcon", "FalconForCausalLM")
            .prefixes("transformer.", "").embedding("word_embeddings.weight").layer("h.%d.")
            .sizes(sizes(List.of("hidden_size", "n_embed"), List.of("num_hidden_layers", "n_layer"),
                    List.of("num_attention_heads", "n_head"), List.of()))
            .kvHeads(new KvHeads(List.of("num_kv_heads"), Switch.on("multi_query", true), "new_decoder_architecture"))
            .projections(new Fused("self_attention.query_key_value.weight", FusedLayout.GROUPED, Storage.LINEAR,
                    "self_attention.dense.weight", Storage.LINEAR))
            .attentionNorm(Norm.of("ln_attn.weight", "input_layernorm.weight")).finalNorm(Norm.of("ln_f.weight"))
            .tied(true).build();

    /** StarCoder: multi-query by default; c_attn is a Linear here, not GPT-2's Conv1D. */
    public static final ArchitectureFamily GPT_BIGCODE = gpt("GPTBigCode", "GPTBigCodeForCausalLM")
            .sizes(sizes(List.of("n_embd", "hidden_size"), List.of("n_layer", "num_hidden_layers"),
                    List.of("n_head", "num_attention_heads"), List.of()))
            .kvHeads(new KvHeads(List.of(), Switch.on("multi_query", true), null))
            .projections(new Fused("attn.c_attn.weight", FusedLayout.GROUPED, Storage.LINEAR, "attn.c_proj.weight", Storage.LINEAR))
            .tied(true).build();

    public static final ArchitectureFamily LLAMA = llama("Llama", "LlamaForCausalLM", Map.of()).build();

    public static final ArchitectureFamily MISTRAL = llama("Mistral", "MistralForCausalLM",
            Map.of("num_key_value_heads", 8)).build();

    /** Only the attention is read: the experts are MLPs, off the heads' direct path. */
    public static final ArchitectureFamily MIXTRAL = llama("Mixtral", "MixtralForCausalLM",
            Map.of("num_key_value_heads", 8)).build();

    public static final ArchitectureFamily QWEN2 = llama("Qwen2", "Qwen2ForCausalLM",
            Map.of("num_key_value_heads", 32)).build();

    public static final ArchitectureFamily QWEN3 = llama("Qwen3", "Qwen3ForCausalLM",
            Map.of("num_key_value_heads", 32, "head_dim", 128))
            .qkNorm(new QkNorm("self_attn.q_norm.weight", "self_attn.k_norm.weight", QkNormShape.SHARED, null)).build();

    public static final ArchitectureFamily PHI = llama("Phi", "PhiForCausalLM", Map.of())
            .projections(new Separate("self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                    "self_attn.dense.weight"))
            .qkNorm(new QkNorm("self_attn.q_layernorm.weight", "self_attn.k_layernorm.weight", QkNormShape.SHARED,
                    Switch.on("qk_layernorm", false)))
            .finalNorm(Norm.of("final_layernorm.weight")).build();

    public static final ArchitectureFamily PHI3 = llama("Phi-3", "Phi3ForCausalLM", Map.of())
            .projections(new Fused("self_attn.qkv_proj.weight", FusedLayout.BLOCKS, Storage.LINEAR,
                    "self_attn.o_proj.weight", Storage.LINEAR)).build();

    /** sqrt(d) on the embedding and 1 + w gains; a tied unembedding is the unscaled embedding. */
    public static final ArchitectureFamily GEMMA = llama("Gemma", "GemmaForCausalLM",
            Map.of("num_key_value_heads", 16, "head_dim", 256))
            .gain(Gain.ONE_PLUS_STORED).conventions(new Conventions(true, null, null)).tied(true).build();

    /** As Gemma, plus post_attention_layernorm on the attention output (the MLP's is pre_feedforward_layernorm). */
    public static final ArchitectureFamily GEMMA2 = llama("Gemma2", "Gemma2ForCausalLM",
            Map.of("num_key_value_heads", 4, "head_dim", 256))
            .gain(Gain.ONE_PLUS_STORED).conventions(new Conventions(true, null, null))
            .outputNorm(Norm.of("post_attention_layernorm.weight")).tied(true).build();

    /** No norm before attention; q/k RMSNorms over the whole projection; post_attention_layernorm on the output. */
    public static final ArchitectureFamily OLMO2 = llama("OLMo2", "Olmo2ForCausalLM", Map.of())
            .attentionNorm(null)
            .qkNorm(new QkNorm("self_attn.q_norm.weight", "self_attn.k_norm.weight", QkNormShape.WHOLE, null))
            .outputNorm(Norm.of("post_attention_layernorm.weight")).build();

    /** head_dim is always hidden_size / num_attention_heads in StableLM's attention. */
    public static final ArchitectureFamily STABLELM = llama("StableLM", "StableLmForCausalLM",
            Map.of("num_key_value_heads", 32))
            .sizes(sizes(HIDDEN, LAYERS, HEADS, List.of(), Map.of("num_key_value_heads", 32)))
            .qkNorm(new QkNorm("self_attn.q_layernorm.norms.%d.weight", "self_attn.k_layernorm.norms.%d.weight",
                    QkNormShape.MODULE_PER_HEAD, Switch.on("qk_layernorm", false))).build();

    public static final ArchitectureFamily STARCODER2 = llama("Starcoder2", "Starcoder2ForCausalLM",
            Map.of("num_key_value_heads", 2)).tied(true).build();

    /** Logits times logit_scale; optional per-head q/k LayerNorms ([H, dh] and [KV, dh]). */
    public static final ArchitectureFamily COHERE = llama("Cohere", "CohereForCausalLM", Map.of())
            .qkNorm(new QkNorm("self_attn.q_norm.weight", "self_attn.k_norm.weight", QkNormShape.PER_HEAD,
                    Switch.on("use_qk_norm", false)))
            .conventions(new Conventions(false, null, new ScaleKey("logit_scale", 0.0625))).tied(true).build();

    /** All families, in the order of the documentation. */
    public static final List<ArchitectureFamily> ALL = List.of(GPT2, GPT_NEO, GPT_NEOX, GPT_J, OPT, BLOOM, FALCON,
            GPT_BIGCODE, LLAMA, MISTRAL, MIXTRAL, QWEN2, QWEN3, PHI, PHI3, GEMMA, GEMMA2, OLMO2, STABLELM, STARCODER2,
            COHERE);

    public static Optional<ArchitectureFamily> forArchitecture(String architecture) {
        return ALL.stream().filter(f -> f.architectures().contains(architecture)).findFirst();
    }

    /** Every supported architectures[0] value, sorted. */
    public static List<String> architectures() {
        TreeSet<String> names = new TreeSet<>();
        ALL.forEach(f -> names.addAll(f.architectures()));
        return List.copyOf(names);
    }

    private static Sizes sizes(List<String> d, List<String> layers, List<String> heads, List<String> headDim) {
        return sizes(d, layers, heads, headDim, Map.of());
    }

    private static Sizes sizes(List<String> d, List<String> layers, List<String> heads, List<String> headDim,
                               Map<String, Integer> defaults) {
        return new Sizes(d, layers, heads, headDim, defaults);
    }

    /** The GPT-2 lineage: transformer.wte, h.L.ln_1, ln_f, lm_head. */
    private static Builder gpt(String name, String architecture) {
        return family(name, architecture).prefixes("transformer.", "").embedding("wte.weight").layer("h.%d.")
                .attentionNorm(Norm.of("ln_1.weight")).finalNorm(Norm.of("ln_f.weight"));
    }

    /** The Llama lineage: model.embed_tokens, layers.L.self_attn.{q,k,v,o}_proj, input_layernorm, norm, lm_head. */
    private static Builder llama(String name, String architecture, Map<String, Integer> defaults) {
        return family(name, architecture).prefixes("model.", "").embedding("embed_tokens.weight").layer("layers.%d.")
                .sizes(sizes(HIDDEN, LAYERS, HEADS, HEAD_DIM, defaults)).kvHeads(KV).projections(LLAMA_ATTENTION)
                .attentionNorm(INPUT_LAYERNORM).finalNorm(MODEL_NORM);
    }

    private static Builder family(String name, String architecture) {
        return new Builder(name, architecture);
    }

    /** Keeps each declaration above to the parts in which its family differs. */
    private static final class Builder {
        private final String name;
        private final String architecture;
        private List<String> prefixes = List.of("");
        private Sizes sizes;
        private KvHeads kvHeads = KvHeads.NONE;
        private String embedding;
        private String layer;
        private Projections projections;
        private Gain gain = Gain.STORED;
        private Norm attentionNorm;
        private QkNorm qkNorm;
        private Norm outputNorm;
        private Norm finalNorm;
        private List<String> unembedding = List.of("lm_head.weight");
        private boolean tied;
        private Conventions conventions = Conventions.NONE;
        private final List<Unsupported> unsupported = new ArrayList<>();

        Builder(String name, String architecture) {
            this.name = name;
            this.architecture = architecture;
        }

        Builder prefixes(String... p) {
            prefixes = List.of(p);
            return this;
        }

        Builder sizes(Sizes s) {
            sizes = s;
            return this;
        }

        Builder kvHeads(KvHeads k) {
            kvHeads = k;
            return this;
        }

        Builder embedding(String e) {
            embedding = e;
            return this;
        }

        Builder layer(String l) {
            layer = l;
            return this;
        }

        Builder projections(Projections p) {
            projections = p;
            return this;
        }

        Builder gain(Gain g) {
            gain = g;
            return this;
        }

        Builder attentionNorm(Norm n) {
            attentionNorm = n;
            return this;
        }

        Builder qkNorm(QkNorm n) {
            qkNorm = n;
            return this;
        }

        Builder outputNorm(Norm n) {
            outputNorm = n;
            return this;
        }

        Builder finalNorm(Norm n) {
            finalNorm = n;
            return this;
        }

        Builder unembedding(String... names) {
            unembedding = List.of(names);
            return this;
        }

        Builder tied(boolean t) {
            tied = t;
            return this;
        }

        Builder conventions(Conventions c) {
            conventions = c;
            return this;
        }

        Builder unsupported(Unsupported u) {
            unsupported.add(u);
            return this;
        }

        ArchitectureFamily build() {
            return new ArchitectureFamily(name, List.of(architecture), prefixes, sizes, kvHeads, embedding, layer,
                    projections, gain, attentionNorm, qkNorm, outputNorm, finalNorm, unembedding, tied, conventions,
                    unsupported);
        }
    }
}

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

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
    private static final Norm INPUT_LAYERNORM = Norm.of("input_layernorm.weight");

    /** No common parts. */
    private static final Consumer<Parts> NONE = f -> {
    };

    /** The GPT-2 lineage: transformer.wte, h.L.ln_1, ln_f, lm_head; n_embd, n_layer, n_head. */
    private static final Consumer<Parts> GPT = f -> {
        f.prefixes = List.of("transformer.", "");
        f.sizes = sizes(List.of("n_embd", "hidden_size"), List.of("n_layer", "num_hidden_layers"),
                List.of("n_head", "num_attention_heads"), List.of());
        f.embedding = "wte.weight";
        f.layer = "h.%d.";
        f.attentionNorm = Norm.of("ln_1.weight");
        f.finalNorm = Norm.of("ln_f.weight");
    };

    /** BLOOM and its descendant Falcon: transformer.word_embeddings, h.L.self_attention.query_key_value (fused, grouped), ln_f. */
    private static final Consumer<Parts> BLOOM_LINEAGE = f -> {
        f.prefixes = List.of("transformer.", "");
        f.embedding = "word_embeddings.weight";
        f.layer = "h.%d.";
        f.projections = new Fused("self_attention.query_key_value.weight", FusedLayout.GROUPED, Storage.LINEAR,
                "self_attention.dense.weight", Storage.LINEAR);
        f.finalNorm = Norm.of("ln_f.weight");
        f.tied = true;
    };

    /** The Llama lineage: model.embed_tokens, layers.L.self_attn.{q,k,v,o}_proj, input_layernorm, norm, lm_head. */
    private static final Consumer<Parts> LLAMA_LINEAGE = f -> {
        f.prefixes = List.of("model.", "");
        f.embedding = "embed_tokens.weight";
        f.layer = "layers.%d.";
        f.sizes = llamaSizes(Map.of());
        f.kvHeads = new KvHeads(List.of("num_key_value_heads"), null, null);
        f.projections = new Separate("self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                "self_attn.o_proj.weight");
        f.attentionNorm = INPUT_LAYERNORM;
        f.finalNorm = Norm.of("norm.weight");
    };

    public static final ArchitectureFamily GPT2 = family("GPT-2", "GPT2LMHeadModel", GPT, f -> {
        f.projections = new Fused("attn.c_attn.weight", FusedLayout.BLOCKS, Storage.CONV1D, "attn.c_proj.weight", Storage.CONV1D);
        f.tied = true;
    });

    public static final ArchitectureFamily GPT_NEO = family("GPT-Neo", "GPTNeoForCausalLM", GPT, f -> {
        f.sizes = sizes(List.of("hidden_size", "n_embd"), List.of("num_layers", "num_hidden_layers"),
                List.of("num_heads", "num_attention_heads"), List.of());
        f.projections = new Separate("attn.attention.q_proj.weight", "attn.attention.k_proj.weight",
                "attn.attention.v_proj.weight", "attn.attention.out_proj.weight");
        f.tied = true;
    });

    /** transformers 5.x names the unembedding lm_head in the module but saves it as embed_out; both load. */
    public static final ArchitectureFamily GPT_NEOX = family("GPT-NeoX", "GPTNeoXForCausalLM", NONE, f -> {
        f.prefixes = List.of("gpt_neox.", "");
        f.embedding = "embed_in.weight";
        f.layer = "layers.%d.";
        f.sizes = sizes(HIDDEN, LAYERS, HEADS, List.of());
        f.projections = new Fused("attention.query_key_value.weight", FusedLayout.GROUPED, Storage.LINEAR,
                "attention.dense.weight", Storage.LINEAR);
        f.attentionNorm = INPUT_LAYERNORM;
        f.finalNorm = Norm.of("final_layer_norm.weight");
        f.unembedding = List.of("embed_out.weight", "lm_head.weight");
    });

    public static final ArchitectureFamily GPT_J = family("GPT-J", "GPTJForCausalLM", GPT,
            f -> f.projections = new Separate("attn.q_proj.weight", "attn.k_proj.weight", "attn.v_proj.weight",
                    "attn.out_proj.weight"));

    /** OPT-350m's post-norm layers are read as HF computes them; its projected embeddings are refused. */
    public static final ArchitectureFamily OPT = family("OPT", "OPTForCausalLM", NONE, f -> {
        f.prefixes = List.of("model.", "");
        f.embedding = "decoder.embed_tokens.weight";
        f.layer = "decoder.layers.%d.";
        f.sizes = sizes(HIDDEN, LAYERS, HEADS, List.of());
        f.projections = new Separate("self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                "self_attn.out_proj.weight");
        f.attentionNorm = Norm.of("self_attn_layer_norm.weight").onlyWhen(Switch.on("do_layer_norm_before", true));
        f.finalNorm = Norm.of("decoder.final_layer_norm.weight").onlyWhen(Switch.on("do_layer_norm_before", true),
                Switch.off("_remove_final_layer_norm", false));
        f.unsupported = List.of(new Unsupported("word_embed_proj_dim", "its embeddings are projected to d_model by "
                + "project_in/project_out (as in opt-350m), which the direct-path circuits do not model"));
        f.tied = true;
    });

    public static final ArchitectureFamily BLOOM = family("BLOOM", "BloomForCausalLM", BLOOM_LINEAGE, f -> {
        f.sizes = sizes(List.of("hidden_size", "n_embed"), List.of("n_layer", "num_hidden_layers"),
                List.of("n_head", "num_attention_heads"), List.of());
        f.attentionNorm = INPUT_LAYERNORM;
        f.conventions = new Conventions(false, new EmbeddingNorm("word_embeddings_layernorm.weight",
                "word_embeddings_layernorm.bias", "layer_norm_epsilon", 1e-5), null);
    });

    /**
     * Multi-query (Falcon-7B: one key/value head), classic multi-head (multi_query=false) and the new
     * decoder architecture (Falcon-40B: num_kv_heads groups), all in one fused matrix grouped per key/value head.
     */
    public static final ArchitectureFamily FALCON = family("Falcon", "FalconForCausalLM", BLOOM_LINEAGE, f -> {
        f.sizes = sizes(List.of("hidden_size", "n_embed"), List.of("num_hidden_layers", "n_layer"),
                List.of("num_attention_heads", "n_head"), List.of());
        f.kvHeads = new KvHeads(List.of("num_kv_heads"), Switch.on("multi_query", true), "new_decoder_architecture");
        f.attentionNorm = Norm.of("ln_attn.weight", "input_layernorm.weight");
    });

    /** StarCoder: multi-query by default; c_attn is a Linear here, not GPT-2's Conv1D. */
    public static final ArchitectureFamily GPT_BIGCODE = family("GPTBigCode", "GPTBigCodeForCausalLM", GPT, f -> {
        f.kvHeads = new KvHeads(List.of(), Switch.on("multi_query", true), null);
        f.projections = new Fused("attn.c_attn.weight", FusedLayout.GROUPED, Storage.LINEAR, "attn.c_proj.weight", Storage.LINEAR);
        f.tied = true;
    });

    public static final ArchitectureFamily LLAMA = family("Llama", "LlamaForCausalLM", LLAMA_LINEAGE, NONE);

    public static final ArchitectureFamily MISTRAL = family("Mistral", "MistralForCausalLM", LLAMA_LINEAGE,
            f -> f.sizes = llamaSizes(Map.of("num_key_value_heads", 8)));

    /** Only the attention is read: the experts are MLPs, off the heads' direct path. */
    public static final ArchitectureFamily MIXTRAL = family("Mixtral", "MixtralForCausalLM", LLAMA_LINEAGE,
            f -> f.sizes = llamaSizes(Map.of("num_key_value_heads", 8)));

    public static final ArchitectureFamily QWEN2 = family("Qwen2", "Qwen2ForCausalLM", LLAMA_LINEAGE,
            f -> f.sizes = llamaSizes(Map.of("num_key_value_heads", 32)));

    public static final ArchitectureFamily QWEN3 = family("Qwen3", "Qwen3ForCausalLM", LLAMA_LINEAGE, f -> {
        f.sizes = llamaSizes(Map.of("num_key_value_heads", 32, "head_dim", 128));
        f.qkNorm = new QkNorm("self_attn.q_norm.weight", "self_attn.k_norm.weight", QkNormShape.SHARED, null);
    });

    public static final ArchitectureFamily PHI = family("Phi", "PhiForCausalLM", LLAMA_LINEAGE, f -> {
        f.projections = new Separate("self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                "self_attn.dense.weight");
        f.qkNorm = new QkNorm("self_attn.q_layernorm.weight", "self_attn.k_layernorm.weight", QkNormShape.SHARED,
                Switch.on("qk_layernorm", false));
        f.finalNorm = Norm.of("final_layernorm.weight");
    });

    public static final ArchitectureFamily PHI3 = family("Phi-3", "Phi3ForCausalLM", LLAMA_LINEAGE,
            f -> f.projections = new Fused("self_attn.qkv_proj.weight", FusedLayout.BLOCKS, Storage.LINEAR,
                    "self_attn.o_proj.weight", Storage.LINEAR));

    /** sqrt(d) on the embedding and 1 + w gains; a tied unembedding is the unscaled embedding. */
    public static final ArchitectureFamily GEMMA = family("Gemma", "GemmaForCausalLM", LLAMA_LINEAGE, f -> {
        f.sizes = llamaSizes(Map.of("num_key_value_heads", 16, "head_dim", 256));
        f.gain = Gain.ONE_PLUS_STORED;
        f.conventions = new Conventions(true, null, null);
        f.tied = true;
    });

    /** As Gemma, plus post_attention_layernorm on the attention output (the MLP's is pre_feedforward_layernorm). */
    public static final ArchitectureFamily GEMMA2 = family("Gemma2", "Gemma2ForCausalLM", LLAMA_LINEAGE, f -> {
        f.sizes = llamaSizes(Map.of("num_key_value_heads", 4, "head_dim", 256));
        f.gain = Gain.ONE_PLUS_STORED;
        f.conventions = new Conventions(true, null, null);
        f.outputNorm = Norm.of("post_attention_layernorm.weight");
        f.tied = true;
    });

    /** No norm before attention; q/k RMSNorms over the whole projection; post_attention_layernorm on the output. */
    public static final ArchitectureFamily OLMO2 = family("OLMo2", "Olmo2ForCausalLM", LLAMA_LINEAGE, f -> {
        f.attentionNorm = null;
        f.qkNorm = new QkNorm("self_attn.q_norm.weight", "self_attn.k_norm.weight", QkNormShape.WHOLE, null);
        f.outputNorm = Norm.of("post_attention_layernorm.weight");
    });

    /** head_dim is always hidden_size / num_attention_heads in StableLM's attention. */
    public static final ArchitectureFamily STABLELM = family("StableLM", "StableLmForCausalLM", LLAMA_LINEAGE, f -> {
        f.sizes = sizes(HIDDEN, LAYERS, HEADS, List.of(), Map.of("num_key_value_heads", 32));
        f.qkNorm = new QkNorm("self_attn.q_layernorm.norms.%d.weight", "self_attn.k_layernorm.norms.%d.weight",
                QkNormShape.MODULE_PER_HEAD, Switch.on("qk_layernorm", false));
    });

    public static final ArchitectureFamily STARCODER2 = family("Starcoder2", "Starcoder2ForCausalLM", LLAMA_LINEAGE, f -> {
        f.sizes = llamaSizes(Map.of("num_key_value_heads", 2));
        f.tied = true;
    });

    /** Logits times logit_scale; optional per-head q/k LayerNorms ([H, dh] and [KV, dh]). */
    public static final ArchitectureFamily COHERE = family("Cohere", "CohereForCausalLM", LLAMA_LINEAGE, f -> {
        f.qkNorm = new QkNorm("self_attn.q_norm.weight", "self_attn.k_norm.weight", QkNormShape.PER_HEAD,
                Switch.on("use_qk_norm", false));
        f.conventions = new Conventions(false, null, new ScaleKey("logit_scale", 0.0625));
        f.tied = true;
    });

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

    private static Sizes llamaSizes(Map<String, Integer> defaults) {
        return sizes(HIDDEN, LAYERS, HEADS, HEAD_DIM, defaults);
    }

    /** A family: its lineage's parts, then its own. */
    private static ArchitectureFamily family(String name, String architecture, Consumer<Parts> lineage, Consumer<Parts> own) {
        Parts p = new Parts();
        lineage.accept(p);
        own.accept(p);
        return new ArchitectureFamily(name, List.of(architecture), p.prefixes, p.sizes, p.kvHeads, p.embedding, p.layer,
                p.projections, p.gain, p.attentionNorm, p.qkNorm, p.outputNorm, p.finalNorm, p.unembedding, p.tied,
                p.conventions, p.unsupported);
    }

    /** The parts of a declaration, with the defaults most families share, so each states only how it differs. */
    private static final class Parts {
        List<String> prefixes = List.of("");
        Sizes sizes;
        KvHeads kvHeads = KvHeads.NONE;
        String embedding;
        String layer;
        Projections projections;
        Gain gain = Gain.STORED;
        Norm attentionNorm;
        QkNorm qkNorm;
        Norm outputNorm;
        Norm finalNorm;
        List<String> unembedding = List.of("lm_head.weight");
        boolean tied;
        Conventions conventions = Conventions.NONE;
        List<Unsupported> unsupported = List.of();
    }
}

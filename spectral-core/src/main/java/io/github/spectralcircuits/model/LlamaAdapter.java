package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.TensorSource;
import java.util.List;
import java.util.Set;

/**
 * Llama and its attention-identical descendants Mistral and Qwen2: separate Linear projections stored
 * [out, in] — q [H*dh, d], k and v [KV*dh, d] (grouped-query attention), o [d, H*dh] — with head_dim
 * explicit in config.json or d / H. Prefix "model." or none; lm_head.weight or tied. Biases (Qwen2) and
 * rotary embeddings are outside the direct-path circuits and are not read.
 */
public final class LlamaAdapter implements ArchitectureAdapter {
    private static final AttentionSizes.Keys KEYS = new AttentionSizes.Keys(
            List.of("vocab_size"), List.of("hidden_size"), List.of("num_hidden_layers"),
            List.of("num_attention_heads"), List.of("num_key_value_heads"), List.of("head_dim"));

    @Override
    public Set<String> architectures() {
        return Set.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM");
    }

    @Override
    public TransformerModel adapt(ModelConfig config, TensorSource source) {
        AttentionSizes s = AttentionSizes.read(config, KEYS);
        CheckpointTensors t = CheckpointTensors.detect(source, config, config.architecture(), "embed_tokens.weight", "model.", "");
        String embedding = t.name("embed_tokens.weight");
        String norm = t.name("norm.weight");
        t.require(embedding, s.vocab(), s.dModel());
        t.require(norm, s.dModel());
        for (int l = 0; l < s.layers().intValue(); l++) {
            t.require(t.name("layers." + l + ".input_layernorm.weight"), s.dModel());
            t.require(projection(t, l, "q_proj"), s.queryWidth(), s.dModel());
            t.require(projection(t, l, "k_proj"), s.kvWidth(), s.dModel());
            t.require(projection(t, l, "v_proj"), s.kvWidth(), s.dModel());
            t.require(projection(t, l, "o_proj"), s.dModel(), s.queryWidth());
        }
        t.requireNoExtraLayer(t.name("layers." + s.layers().value() + ".input_layernorm.weight"), s.layers());
        String unembedding = Unembedding.resolve(t, config, s, "lm_head.weight");
        return new CheckpointModel(config, s, t, embedding, unembedding, norm, l -> readLayer(t, s, l));
    }

    private static String projection(CheckpointTensors t, int layer, String proj) {
        return t.name("layers." + layer + ".self_attn." + proj + ".weight");
    }

    private static LayerWeights readLayer(CheckpointTensors t, AttentionSizes s, int l) {
        int d = s.dModel().intValue();
        int qWidth = s.queryWidth().intValue();
        int kvWidth = s.kvWidth().intValue();
        return new LayerWeights(l, s.heads().intValue(), s.kvHeads().intValue(), s.dHead().intValue(),
                t.read(t.name("layers." + l + ".input_layernorm.weight")),
                RowVectorLayout.fromLinear(t.read(projection(t, l, "q_proj")), qWidth, d),
                RowVectorLayout.fromLinear(t.read(projection(t, l, "k_proj")), kvWidth, d),
                RowVectorLayout.fromLinear(t.read(projection(t, l, "v_proj")), kvWidth, d),
                RowVectorLayout.fromLinear(t.read(projection(t, l, "o_proj")), d, qWidth));
    }
}

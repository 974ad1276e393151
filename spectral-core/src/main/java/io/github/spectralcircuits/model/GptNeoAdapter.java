package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.TensorSource;
import java.util.List;
import java.util.Set;

/**
 * GPT-Neo (the seed's TinyStories-33M): separate Linear q/k/v/out projections [d, d] stored [out, in],
 * under "attn.attention."; prefix "transformer." or none.
 */
public final class GptNeoAdapter implements ArchitectureAdapter {
    private static final AttentionSizes.Keys KEYS = new AttentionSizes.Keys(
            List.of("vocab_size"), List.of("hidden_size", "n_embd"), List.of("num_layers", "num_hidden_layers"),
            List.of("num_heads", "num_attention_heads"), List.of(), List.of());

    @Override
    public Set<String> architectures() {
        return Set.of("GPTNeoForCausalLM");
    }

    @Override
    public TransformerModel adapt(ModelConfig config, TensorSource source) {
        AttentionSizes s = AttentionSizes.read(config, KEYS);
        CheckpointTensors t = CheckpointTensors.detect(source, config, config.architecture(), "wte.weight", "transformer.", "");
        String wte = t.name("wte.weight");
        String lnF = t.name("ln_f.weight");
        t.require(wte, s.vocab(), s.dModel());
        t.require(lnF, s.dModel());
        for (int l = 0; l < s.layers().intValue(); l++) {
            t.require(t.name("h." + l + ".ln_1.weight"), s.dModel());
            for (String p : List.of("q_proj", "k_proj", "v_proj")) {
                t.require(projection(t, l, p), s.queryWidth(), s.dModel());
            }
            t.require(projection(t, l, "out_proj"), s.dModel(), s.queryWidth());
        }
        t.requireNoExtraLayer(t.name("h." + s.layers().value() + ".ln_1.weight"), s.layers());
        String unembedding = Unembedding.resolve(t, config, s, "lm_head.weight");
        return new CheckpointModel(config, s, t, wte, unembedding, lnF, l -> readLayer(t, s, l));
    }

    private static String projection(CheckpointTensors t, int layer, String proj) {
        return t.name("h." + layer + ".attn.attention." + proj + ".weight");
    }

    private static LayerWeights readLayer(CheckpointTensors t, AttentionSizes s, int l) {
        int d = s.dModel().intValue();
        int width = s.queryWidth().intValue();
        return new LayerWeights(l, s.heads().intValue(), s.kvHeads().intValue(), s.dHead().intValue(),
                t.read(t.name("h." + l + ".ln_1.weight")),
                RowVectorLayout.fromLinear(t.read(projection(t, l, "q_proj")), width, d),
                RowVectorLayout.fromLinear(t.read(projection(t, l, "k_proj")), width, d),
                RowVectorLayout.fromLinear(t.read(projection(t, l, "v_proj")), width, d),
                RowVectorLayout.fromLinear(t.read(projection(t, l, "out_proj")), d, width));
    }
}

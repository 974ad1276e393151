package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.TensorSource;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * GPT-2: Conv1D weights stored [in, out]; c_attn [d, 3d] holds Q, K and V as consecutive column blocks,
 * head h being columns h*dh..(h+1)*dh-1 of each block. Names may carry the prefix "transformer."
 * (GPT2LMHeadModel.save_pretrained) or none (the original "gpt2" upload).
 */
public final class Gpt2Adapter implements ArchitectureAdapter {
    private static final AttentionSizes.Keys KEYS = new AttentionSizes.Keys(
            List.of("vocab_size"), List.of("n_embd", "hidden_size"), List.of("n_layer", "num_hidden_layers"),
            List.of("n_head", "num_attention_heads"), List.of(), List.of());

    @Override
    public Set<String> architectures() {
        return Set.of("GPT2LMHeadModel");
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
            t.require(t.name("h." + l + ".attn.c_attn.weight"), s.dModel(), s.queryWidth().times(3));
            t.require(t.name("h." + l + ".attn.c_proj.weight"), s.queryWidth(), s.dModel());
        }
        t.requireNoExtraLayer(t.name("h." + s.layers().value() + ".ln_1.weight"), s.layers());
        String unembedding = Unembedding.resolve(t, config, s, "lm_head.weight");
        return new CheckpointModel(config, s, t, wte, unembedding, lnF, l -> readLayer(t, s, l));
    }

    private static LayerWeights readLayer(CheckpointTensors t, AttentionSizes s, int l) {
        int d = s.dModel().intValue();
        int width = s.queryWidth().intValue();
        DMatrixRMaj qkv = RowVectorLayout.fromConv1D(t.read(t.name("h." + l + ".attn.c_attn.weight")), d, 3 * width);
        DMatrixRMaj wO = RowVectorLayout.fromConv1D(t.read(t.name("h." + l + ".attn.c_proj.weight")), width, d);
        return new LayerWeights(l, s.heads().intValue(), s.kvHeads().intValue(), s.dHead().intValue(),
                t.read(t.name("h." + l + ".ln_1.weight")),
                RowVectorLayout.columns(qkv, 0, width),
                RowVectorLayout.columns(qkv, width, 2 * width),
                RowVectorLayout.columns(qkv, 2 * width, 3 * width),
                wO);
    }
}

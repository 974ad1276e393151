package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.TensorSource;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * GPT-NeoX (Pythia): one fused Linear query_key_value [3d, d] whose output rows are grouped per head,
 * (head, {q, k, v}, dh) — not [Q|K|V] blocks as in GPT-2; dense [d, d] Linear; untied embed_out.
 * Prefix "gpt_neox." or none.
 */
public final class GptNeoXAdapter implements ArchitectureAdapter {
    private static final AttentionSizes.Keys KEYS = new AttentionSizes.Keys(
            List.of("vocab_size"), List.of("hidden_size"), List.of("num_hidden_layers"),
            List.of("num_attention_heads"), List.of(), List.of());

    @Override
    public Set<String> architectures() {
        return Set.of("GPTNeoXForCausalLM");
    }

    @Override
    public TransformerModel adapt(ModelConfig config, TensorSource source) {
        AttentionSizes s = AttentionSizes.read(config, KEYS);
        CheckpointTensors t = CheckpointTensors.detect(source, config, config.architecture(), "embed_in.weight", "gpt_neox.", "");
        String embedIn = t.name("embed_in.weight");
        String finalNorm = t.name("final_layer_norm.weight");
        t.require(embedIn, s.vocab(), s.dModel());
        t.require(finalNorm, s.dModel());
        for (int l = 0; l < s.layers().intValue(); l++) {
            t.require(t.name("layers." + l + ".input_layernorm.weight"), s.dModel());
            t.require(t.name("layers." + l + ".attention.query_key_value.weight"), s.queryWidth().times(3), s.dModel());
            t.require(t.name("layers." + l + ".attention.dense.weight"), s.dModel(), s.queryWidth());
        }
        t.requireNoExtraLayer(t.name("layers." + s.layers().value() + ".input_layernorm.weight"), s.layers());
        String unembedding = Unembedding.resolve(t, config, s, "embed_out.weight");
        return new CheckpointModel(config, s, t, embedIn, unembedding, finalNorm, l -> readLayer(t, s, l));
    }

    private static LayerWeights readLayer(CheckpointTensors t, AttentionSizes s, int l) {
        int d = s.dModel().intValue();
        int heads = s.heads().intValue();
        int dh = s.dHead().intValue();
        double[] fused = t.read(t.name("layers." + l + ".attention.query_key_value.weight"));
        DMatrixRMaj[] qkv = {new DMatrixRMaj(d, heads * dh), new DMatrixRMaj(d, heads * dh), new DMatrixRMaj(d, heads * dh)};
        // Stored row (h*3 + part)*dh + i is output feature i of head h's query, key or value (part 0, 1, 2);
        // as a row-vector weight it becomes column h*dh + i of that part's [d, H*dh] matrix.
        for (int h = 0; h < heads; h++) {
            for (int part = 0; part < 3; part++) {
                for (int i = 0; i < dh; i++) {
                    int row = (h * 3 + part) * dh + i;
                    int col = h * dh + i;
                    for (int j = 0; j < d; j++) {
                        qkv[part].set(j, col, fused[row * d + j]);
                    }
                }
            }
        }
        DMatrixRMaj wO = RowVectorLayout.fromLinear(t.read(t.name("layers." + l + ".attention.dense.weight")), d, heads * dh);
        return new LayerWeights(l, heads, s.kvHeads().intValue(), dh,
                t.read(t.name("layers." + l + ".input_layernorm.weight")), qkv[0], qkv[1], qkv[2], wO);
    }
}

package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.testing.FamilyLayouts;
import io.github.spectralcircuits.testing.FamilyLayouts.Checkpoint;
import io.github.spectralcircuits.testing.FamilyLayouts.Layout;
import io.github.spectralcircuits.testing.TestTensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Shapes that contradict config.json, missing tensors and inconsistent configs give one clear paragraph. */
class AdapterErrorsTest {
    private static final Path DIR = Path.of("/models/broken");
    // V=13, d=8, L=2, H=4, KV=2, dh=3 (head_dim explicit: 4*3 != 8)
    private static final FamilyLayouts.Model GQA = FamilyLayouts.random(5, 13, 8, 2, 4, 2, 3, true);
    // V=11, d=8, L=2, H=2, KV=2, dh=4
    private static final FamilyLayouts.Model MHA = FamilyLayouts.random(6, 11, 8, 2, 2, 2, 4, false);

    static String fail(Checkpoint c) {
        ModelInputException e = assertThrows(ModelInputException.class, () -> Adapters
                .forArchitecture(c.layout().architecture()).adapt(c.modelConfig(DIR), c.source(DIR)));
        assertTrue(!e.getMessage().contains("\n"), "one paragraph: " + e.getMessage());
        return e.getMessage();
    }

    static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message lacks \"" + p + "\": " + message);
        }
    }

    @Test
    void keyProjectionShapedForAllHeadsNamesTheKvKeys() {
        String name = "model.layers.1.self_attn.k_proj.weight";
        Checkpoint c = FamilyLayouts.write(Layout.MISTRAL, GQA).with(name, TestTensor.of(new double[12 * 8], 12, 8));
        assertMentions(fail(c), "'" + name + "'", DIR.resolve("model.safetensors").toString(), "[12, 8]", "[6, 8]",
                "num_key_value_heads*head_dim", "num_key_value_heads=2", "head_dim=3", "hidden_size=8",
                DIR.resolve("config.json").toString());
    }

    @Test
    void queryProjectionWithDerivedHeadDimSaysHowItWasDerived() {
        Checkpoint c = FamilyLayouts.write(Layout.LLAMA, GQA);
        c.config().remove("head_dim"); // now dh = 8/4 = 2, so q should be [8, 8], but it is [12, 8]
        assertMentions(fail(c), "'model.layers.0.self_attn.q_proj.weight'", "[12, 8]", "[8, 8]",
                "num_attention_heads*head_dim", "head_dim=2 (hidden_size/num_attention_heads)");
    }

    @Test
    void gpt2FusedAttentionOfWrongWidthNamesNEmbd() {
        String name = "transformer.h.0.attn.c_attn.weight";
        Checkpoint c = FamilyLayouts.write(Layout.GPT2, MHA).with(name, TestTensor.of(new double[8 * 16], 8, 16));
        assertMentions(fail(c), "'" + name + "'", "[8, 16]", "[8, 24]", "3*n_head*head_dim", "n_embd=8", "n_head=2");
    }

    @Test
    void neoXFusedAttentionStoredTransposedIsCaught() {
        String name = "gpt_neox.layers.1.attention.query_key_value.weight";
        Checkpoint c = FamilyLayouts.write(Layout.GPT_NEOX, MHA).with(name, TestTensor.of(new double[8 * 24], 8, 24));
        assertMentions(fail(c), "'" + name + "'", "[8, 24]", "[24, 8]", "num_attention_heads", "hidden_size=8");
    }

    @Test
    void embeddingWithWrongVocabularyNamesVocabSize() {
        Checkpoint c = FamilyLayouts.write(Layout.GPT_NEO_BARE, MHA).with("wte.weight", TestTensor.of(new double[12 * 8], 12, 8));
        assertMentions(fail(c), "'wte.weight'", "[12, 8]", "[11, 8]", "vocab_size=11", "hidden_size=8");
    }

    @Test
    void unembeddingWithWrongShapeIsNamed() {
        Checkpoint c = FamilyLayouts.write(Layout.GPT_NEOX_BARE, MHA).with("embed_out.weight", TestTensor.of(new double[8 * 11], 8, 11));
        assertMentions(fail(c), "'embed_out.weight'", "[8, 11]", "[11, 8]");
    }

    @Test
    void finalNormOfWrongLengthIsNamed() {
        Checkpoint c = FamilyLayouts.write(Layout.QWEN2, GQA).with("model.norm.weight", TestTensor.of(new double[7], 7));
        assertMentions(fail(c), "'model.norm.weight'", "[7]", "[8]", "hidden_size=8");
    }

    @Test
    void missingPerLayerTensorIsNamed() {
        String name = "model.layers.1.self_attn.v_proj.weight";
        Checkpoint c = FamilyLayouts.write(Layout.LLAMA, GQA).without(name);
        assertMentions(fail(c), "no tensor '" + name + "'", "LlamaForCausalLM", DIR.toString());
    }

    @Test
    void missingLayerNormOfGpt2IsNamed() {
        Checkpoint c = FamilyLayouts.write(Layout.GPT2_BARE, MHA).without("h.1.ln_1.weight");
        assertMentions(fail(c), "no tensor 'h.1.ln_1.weight'", "GPT2LMHeadModel");
    }

    @Test
    void untiedConfigWithoutLmHeadNamesTheTensorAndTheKey() {
        Checkpoint c = FamilyLayouts.write(Layout.LLAMA, MHA).without("lm_head.weight");
        assertMentions(fail(c), "'lm_head.weight'", "\"tie_word_embeddings\": false");
    }

    @Test
    void neoXWithoutEmbedOutAndUntiedConfigNamesEmbedOut() {
        Checkpoint c = FamilyLayouts.write(Layout.GPT_NEOX, MHA).without("embed_out.weight");
        assertMentions(fail(c), "'embed_out.weight'", "tie_word_embeddings");
    }

    @Test
    void embeddingUnderNoKnownPrefixListsWhatWasTried() {
        Checkpoint c = FamilyLayouts.write(Layout.LLAMA, GQA).without("model.embed_tokens.weight");
        assertMentions(fail(c), "'model.embed_tokens.weight' or 'embed_tokens.weight'", "LlamaForCausalLM",
                "such as model.layers.0");
    }

    @Test
    void checkpointOfAnotherFamilyIsRejectedByItsMissingEmbedding() {
        Checkpoint llama = FamilyLayouts.write(Layout.LLAMA, MHA);
        Checkpoint gpt2 = FamilyLayouts.write(Layout.GPT2, MHA);
        ModelInputException e = assertThrows(ModelInputException.class,
                () -> new FamilyAdapter().adapt(gpt2.modelConfig(DIR), llama.source(DIR)));
        assertMentions(e.getMessage(), "'transformer.wte.weight' or 'wte.weight'", "GPT2LMHeadModel");
    }

    @Test
    void configWithFewerLayersThanTheCheckpointIsCaught() {
        Checkpoint c = FamilyLayouts.write(Layout.GPT_NEOX, MHA);
        c.config().put("num_hidden_layers", 1);
        assertMentions(fail(c), "'gpt_neox.layers.1.input_layernorm.weight'", "num_hidden_layers=1", "layers 0..0");
    }

    @Test
    void configWithMoreLayersThanTheCheckpointNamesTheFirstMissingTensor() {
        Checkpoint c = FamilyLayouts.write(Layout.GPT2, MHA);
        c.config().put("n_layer", 3);
        assertMentions(fail(c), "no tensor 'transformer.h.2.ln_1.weight'");
    }

    @Test
    void headsNotDivisibleByKvHeadsIsAConfigError() {
        Checkpoint c = FamilyLayouts.write(Layout.MISTRAL, GQA);
        c.config().put("num_key_value_heads", 3);
        assertMentions(fail(c), "num_attention_heads=4", "num_key_value_heads=3", "config.json");
    }

    @Test
    void moreKvHeadsThanHeadsIsAConfigError() {
        Checkpoint c = FamilyLayouts.write(Layout.MISTRAL, GQA);
        c.config().put("num_key_value_heads", 8);
        assertMentions(fail(c), "num_attention_heads=4", "num_key_value_heads=8");
    }

    @Test
    void dModelNotDivisibleByHeadsWithoutHeadDimIsAConfigError() {
        Checkpoint c = FamilyLayouts.write(Layout.GPT2, MHA);
        ((ObjectNode) c.config()).put("n_head", 3);
        assertMentions(fail(c), "n_embd=8", "n_head=3", "not divisible");
    }

    @Test
    void missingSizeKeyNamesTheAlternatives() {
        Checkpoint c = FamilyLayouts.write(Layout.GPT_NEO, MHA);
        c.config().remove("num_heads");
        assertMentions(fail(c), "num_heads / num_attention_heads");
    }
}

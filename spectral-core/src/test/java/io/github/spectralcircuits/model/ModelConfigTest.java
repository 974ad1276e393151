package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.io.ModelInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** config.json's values as the adapters ask for them, and what a wrong one says (quoting it as JSON). */
class ModelConfigTest {
    private static final Path FILE = Path.of("/m/config.json");

    private static ModelConfig config(String json) {
        return ModelConfig.fromJson(FILE, json);
    }

    private static String refusal(String json, java.util.function.Consumer<ModelConfig> use) {
        return assertThrows(ModelInputException.class, () -> use.accept(config(json))).getMessage();
    }

    @Test
    void readsSizesFlagsAndNumbersByTheFirstKeyPresent() {
        ModelConfig c = config("{\"architectures\": [\"GPT2LMHeadModel\", \"x\"], \"n_embd\": 768, \"hidden_size\": null,"
                + " \"tie_word_embeddings\": false, \"layer_norm_epsilon\": 1e-5, \"initializer_range\": 2,"
                + " \"nested\": {\"a\": [1, {\"b\": null}]}}");
        assertEquals("GPT2LMHeadModel", c.architecture());
        assertEquals(768, c.positiveInt("hidden_size", "n_embd"), "a null key counts as absent");
        assertEquals(12, c.positiveIntOr(12, "n_head"));
        assertFalse(c.has("hidden_size"));
        assertTrue(c.has("nested"));
        assertFalse(c.bool("tie_word_embeddings", true));
        assertTrue(c.bool("absent", true));
        assertEquals(1e-5, c.number("layer_norm_epsilon", 0));
        assertEquals(2.0, c.number("initializer_range", 0), "a whole number is a number");
        assertEquals(0.5, c.number("absent", 0.5));
    }

    @Test
    void aWrongValueIsQuotedAsJson() {
        assertEquals(FILE + ": \"n_embd\" is 7.5, but it must be a positive whole number; fix config.json.",
                refusal("{\"n_embd\": 7.5}", c -> c.positiveInt("n_embd")));
        assertTrue(refusal("{\"n_embd\": \"768\"}", c -> c.positiveInt("n_embd")).contains("\"n_embd\" is \"768\", but"));
        assertTrue(refusal("{\"n_embd\": 0}", c -> c.positiveInt("n_embd")).contains("\"n_embd\" is 0, but"));
        assertTrue(refusal("{\"n_embd\": 3000000000}", c -> c.positiveInt("n_embd")).contains("is 3000000000, but"),
                "beyond an int");
        assertTrue(refusal("{\"n_embd\": 123456789012345678901234567890}", c -> c.positiveInt("n_embd"))
                .contains("is 123456789012345678901234567890, but"));
        assertTrue(refusal("{\"n_embd\": [1,{\"a\":\"b\\\"\"}]}", c -> c.positiveInt("n_embd"))
                .contains("is [1,{\"a\":\"b\\\"\"}], but"));
        assertTrue(refusal("{\"tie\": 1}", c -> c.bool("tie", true)).contains("\"tie\" is 1, but it must be true or false"));
        assertTrue(refusal("{\"eps\": 1e400}", c -> c.number("eps", 0)).contains("must be a finite number"));
        assertTrue(refusal("{\"eps\": true}", c -> c.number("eps", 0)).contains("\"eps\" is true, but"));
        assertTrue(refusal("{\"architectures\": [7]}", ModelConfig::architecture).contains("has no \"architectures\" list"));
        assertTrue(refusal("{\"architectures\": []}", ModelConfig::architecture).contains("has no \"architectures\" list"));
        assertTrue(refusal("{}", c -> c.positiveInt("n_embd", "hidden_size"))
                .contains("lacks n_embd / hidden_size, which the model needs"));
    }

    @Test
    void duplicateKeysAndNonObjectsAreRefusedAtParsing() {
        String duplicate = assertThrows(ModelInputException.class,
                () -> config("{\"a\": 1, \"nested\": {\"b\": 1, \"b\": 2}}")).getMessage();
        assertTrue(duplicate.startsWith(FILE + " is not valid JSON (Duplicate field 'b'"), duplicate);
        assertTrue(assertThrows(ModelInputException.class, () -> config("\"text\"")).getMessage()
                .contains("is not a JSON object (it holds string)"));
        assertTrue(assertThrows(ModelInputException.class, () -> config("{\"a\": [1, 2}")).getMessage()
                .contains("is not valid JSON ("));
    }
}

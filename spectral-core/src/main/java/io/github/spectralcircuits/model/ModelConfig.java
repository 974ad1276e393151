package io.github.spectralcircuits.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.spectralcircuits.io.ModelInputException;
import java.nio.file.Path;

/**
 * A parsed Hugging Face config.json. Families name the same size differently (n_embd, hidden_size,
 * d_model...), so getters take alternative keys; a missing or non-positive size is an error naming
 * the file and the keys looked for.
 */
public final class ModelConfig {
    private final Path file;
    private final JsonNode root;

    public ModelConfig(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    public Path file() {
        return file;
    }

    public JsonNode json() {
        return root;
    }

    /** architectures[0], the key that selects the adapter. */
    public String architecture() {
        JsonNode a = root.get("architectures");
        if (a == null || !a.isArray() || a.isEmpty() || !a.get(0).isTextual()) {
            throw new ModelInputException(file + " has no \"architectures\" list naming the model class "
                    + "(for example [\"LlamaForCausalLM\"]); add it as Hugging Face's save_pretrained writes it.");
        }
        return a.get(0).asText();
    }

    public boolean has(String key) {
        JsonNode n = root.get(key);
        return n != null && !n.isNull();
    }

    /** The first of keys present, as a positive int. */
    public int positiveInt(String... keys) {
        for (String k : keys) {
            JsonNode n = root.get(k);
            if (n != null && !n.isNull()) {
                if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
                    throw new ModelInputException(file + ": \"" + k + "\" is " + n
                            + ", but it must be a positive whole number; fix config.json.");
                }
                return n.asInt();
            }
        }
        throw new ModelInputException(file + " lacks " + String.join(" / ", keys)
                + ", which " + architectureOrUnknown() + " needs; fix config.json.");
    }

    /** The first of keys present as a positive int, or fallback when none is. */
    public int positiveIntOr(int fallback, String... keys) {
        for (String k : keys) {
            if (has(k)) {
                return positiveInt(k);
            }
        }
        return fallback;
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new ModelInputException(file + ": \"" + key + "\" is " + n + ", but it must be true or false; fix config.json.");
        }
        return n.asBoolean();
    }

    public double number(String key, double fallback) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw new ModelInputException(file + ": \"" + key + "\" is " + n + ", but it must be a finite number; fix config.json.");
        }
        return n.asDouble();
    }

    private String architectureOrUnknown() {
        try {
            return architecture();
        } catch (ModelInputException e) {
            return "the model";
        }
    }
}

package io.github.spectralcircuits.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A parsed Hugging Face config.json. Families name the same size differently (n_embd, hidden_size,
 * d_model...), so getters take alternative keys; a missing or non-positive size is an error naming
 * the file and the keys looked for. Read as a Jackson tree ({@link ModelJson}); JSON null counts as absent.
 */
public final class ModelConfig {
    private static final long MAX_CONFIG_BYTES = 10_000_000L;

    private final Path file;
    private final JsonNode root;

    private ModelConfig(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** Reads config.json; a file that is too large, not JSON, or not an object is one clear error. */
    static ModelConfig read(Path configFile) {
        try {
            if (Files.size(configFile) > MAX_CONFIG_BYTES) {
                throw new ModelInputException(configFile + " is " + Files.size(configFile) + " bytes, far more than any "
                        + "model configuration; check that it is the model's config.json.");
            }
            return of(configFile, ModelJson.MAPPER.readTree(configFile.toFile()));
        } catch (IOException e) {
            throw unreadable(configFile, e);
        }
    }

    /** config.json's text, said to live at file (for tests that build a configuration in memory). */
    public static ModelConfig fromJson(Path file, String json) {
        try {
            return of(file, ModelJson.MAPPER.readTree(json));
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static ModelConfig of(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ModelInputException(file + " is not a JSON object (it holds " + ModelJson.kind(root)
                    + "). Replace it with the model's config.json as Hugging Face's save_pretrained writes it.");
        }
        return new ModelConfig(file, root);
    }

    private static ModelInputException unreadable(Path file, IOException e) {
        if (e instanceof JsonProcessingException) {
            JsonProcessingException j = (JsonProcessingException) e;
            return new ModelInputException(file + " is not valid JSON (" + withoutSourceNote(j.getOriginalMessage()) + " at line "
                    + (j.getLocation() == null ? "?" : j.getLocation().getLineNr()) + "). Fix the file or download it again.", e);
        }
        return new ModelInputException("Cannot read " + file + ": " + e.getMessage()
                + ". Check that the file is readable.", e);
    }

    /** Jackson appends where an unclosed array or object began, naming a redacted source: noise for a user. */
    private static String withoutSourceNote(String message) {
        int cut = message == null ? -1 : message.indexOf(" (start marker at");
        return cut < 0 ? String.valueOf(message) : message.substring(0, cut);
    }

    public Path file() {
        return file;
    }

    /** architectures[0], the key that selects the adapter. */
    public String architecture() {
        JsonNode a = root.get("architectures");
        if (a == null || !a.isArray() || a.isEmpty() || !a.get(0).isTextual()) {
            throw new ModelInputException(file + " has no \"architectures\" list naming the model class "
                    + "(for example [\"LlamaForCausalLM\"]); add it as Hugging Face's save_pretrained writes it.");
        }
        return a.get(0).textValue();
    }

    public boolean has(String key) {
        return value(key) != null;
    }

    private JsonNode value(String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : n;
    }

    /** The first of keys present, as a positive int. */
    public int positiveInt(String... keys) {
        for (String k : keys) {
            JsonNode n = value(k);
            if (n != null) {
                // an int node exactly for the whole numbers an int holds (7.0 and 2^31 are not)
                if (!n.isInt() || n.intValue() <= 0) {
                    throw new ModelInputException(file + ": \"" + k + "\" is " + n
                            + ", but it must be a positive whole number; fix config.json.");
                }
                return n.intValue();
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
        JsonNode n = value(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new ModelInputException(file + ": \"" + key + "\" is " + n + ", but it must be true or false; fix config.json.");
        }
        return n.booleanValue();
    }

    public double number(String key, double fallback) {
        JsonNode n = value(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new ModelInputException(file + ": \"" + key + "\" is " + n + ", but it must be a finite number; fix config.json.");
        }
        return n.doubleValue();
    }

    private String architectureOrUnknown() {
        try {
            return architecture();
        } catch (ModelInputException e) {
            return "the model";
        }
    }
}

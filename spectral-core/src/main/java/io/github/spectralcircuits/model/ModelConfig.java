package io.github.spectralcircuits.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.github.spectralcircuits.io.JsonValues;
import io.github.spectralcircuits.io.ModelInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A parsed Hugging Face config.json. Families name the same size differently (n_embd, hidden_size,
 * d_model...), so getters take alternative keys; a missing or non-positive size is an error naming
 * the file and the keys looked for. The file is read as plain values ({@link JsonValues}), without
 * jackson-databind, which would cost the analysis a quarter of a second of start-up.
 */
public final class ModelConfig {
    private static final long MAX_CONFIG_BYTES = 10_000_000L;

    private final Path file;
    private final Map<String, Object> root;

    private ModelConfig(Path file, Map<String, Object> root) {
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
            try (JsonParser p = JsonValues.STRICT.createParser(configFile.toFile())) {
                return parse(configFile, p);
            }
        } catch (IOException e) {
            throw unreadable(configFile, e);
        }
    }

    /** config.json's text, said to live at file (for tests that build a configuration in memory). */
    public static ModelConfig fromJson(Path file, String json) {
        try (JsonParser p = JsonValues.STRICT.createParser(json)) {
            return parse(file, p);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static ModelConfig parse(Path file, JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new ModelInputException(file + " is not a JSON object (it holds " + JsonValues.kind(first)
                    + "). Replace it with the model's config.json as Hugging Face's save_pretrained writes it.");
        }
        return new ModelConfig(file, (Map<String, Object>) JsonValues.value(p));
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
        Object a = root.get("architectures");
        if (!(a instanceof List) || ((List<?>) a).isEmpty() || !(((List<?>) a).get(0) instanceof String)) {
            throw new ModelInputException(file + " has no \"architectures\" list naming the model class "
                    + "(for example [\"LlamaForCausalLM\"]); add it as Hugging Face's save_pretrained writes it.");
        }
        return (String) ((List<?>) a).get(0);
    }

    public boolean has(String key) {
        return root.get(key) != null;
    }

    /**
     * Whether config.json names the key at all, even as null: Hugging Face's config classes give an
     * omitted key their class default, but a null one often means "derive it" (head_dim, num_key_value_heads).
     */
    public boolean mentions(String key) {
        return root.containsKey(key);
    }

    /** The first of keys present, as a positive int. */
    public int positiveInt(String... keys) {
        for (String k : keys) {
            Object n = root.get(k);
            if (n != null) {
                // the parser gives an Integer exactly for the whole numbers an int holds
                if (!(n instanceof Integer) || (Integer) n <= 0) {
                    throw new ModelInputException(file + ": \"" + k + "\" is " + JsonValues.render(n)
                            + ", but it must be a positive whole number; fix config.json.");
                }
                return (Integer) n;
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
        Object n = root.get(key);
        if (n == null) {
            return fallback;
        }
        if (!(n instanceof Boolean)) {
            throw new ModelInputException(file + ": \"" + key + "\" is " + JsonValues.render(n) + ", but it must be true or false; fix config.json.");
        }
        return (Boolean) n;
    }

    public double number(String key, double fallback) {
        Object n = root.get(key);
        if (n == null) {
            return fallback;
        }
        if (!(n instanceof Number) || !Double.isFinite(((Number) n).doubleValue())) {
            throw new ModelInputException(file + ": \"" + key + "\" is " + JsonValues.render(n) + ", but it must be a finite number; fix config.json.");
        }
        return ((Number) n).doubleValue();
    }

    private String architectureOrUnknown() {
        try {
            return architecture();
        } catch (ModelInputException e) {
            return "the model";
        }
    }
}

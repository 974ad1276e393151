package io.github.spectralcircuits.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The token strings of a Hugging Face {@code tokenizer.json} (WordLevel, WordPiece, BPE or Unigram model,
 * plus its added tokens), as a reader of a report wants to see them: byte-level pieces (GPT-2's {@code Ġ},
 * {@code Ċ}) and SentencePiece's {@code ▁} turned back into text, and whitespace made visible
 * (space {@code ␣}, newline {@code ↵}, tab {@code ⇥}; other control bytes and bytes that are no whole UTF-8
 * character as {@code <0xNN>}).
 * <p>
 * Written here with jackson-core's streaming parser rather than taken from a tokenizer library: the only
 * Java binding of Hugging Face tokenizers wraps the Rust library through JNI (a native binary per
 * platform), and a report needs nothing of a tokenizer but its vocabulary, not encoding or decoding of text.
 * The merges (megabytes for large vocabularies) are skipped unread.
 */
public final class TokenVocabulary {
    public static final String FILE = "tokenizer.json";

    /** GPT-2's printable stand-ins for the 256 byte values (bytes_to_unicode), inverted. */
    private static final Map<Character, Integer> BYTE_OF_CHAR = byteLevelAlphabet();

    private final String[] display;
    private final String modelType;

    private TokenVocabulary(String[] display, String modelType) {
        this.display = display;
        this.modelType = modelType;
    }

    /** The vocabulary of {@code modelDirectory/tokenizer.json}; empty when there is no such file. */
    public static Optional<TokenVocabulary> find(Path modelDirectory) {
        Path file = modelDirectory.resolve(FILE);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    public static TokenVocabulary read(Path file) {
        try (InputStream in = Files.newInputStream(file); JsonParser p = ModelJson.MAPPER.createParser(in)) {
            return parse(p, file);
        } catch (JsonProcessingException e) {
            throw new ModelInputException(file + " is not valid JSON (" + e.getOriginalMessage() + "). It is optional: "
                    + "replace it with the model's published tokenizer.json, or remove it to see token ids only.", e);
        } catch (IOException e) {
            throw new ModelInputException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The string shown for token id, or null when the tokenizer has no token of that id. */
    public String token(int id) {
        return id >= 0 && id < display.length ? display[id] : null;
    }

    /** One more than the largest id the tokenizer names. */
    public int size() {
        return display.length;
    }

    /** The tokenizer model's "type" (BPE, Unigram, WordLevel, WordPiece). */
    public String modelType() {
        return modelType;
    }

    private static TokenVocabulary parse(JsonParser p, Path file) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw bad(file, "its top level is not a JSON object");
        }
        Map<Integer, String> added = new HashMap<>();
        Map<Integer, String> pieces = null;
        String type = null;
        boolean byteLevel = false;
        boolean metaspace = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "added_tokens" -> readAdded(p, t, added, file);
                case "model" -> {
                    if (t != JsonToken.START_OBJECT) {
                        throw bad(file, "\"model\" is not an object");
                    }
                    Model m = readModel(p, file);
                    pieces = m.pieces();
                    type = m.type();
                }
                case "pre_tokenizer", "decoder" -> {
                    Object v = ModelJson.MAPPER.readValue(p, Object.class);
                    byteLevel |= mentions(v, "ByteLevel");
                    metaspace |= mentions(v, "Metaspace");
                }
                default -> p.skipChildren();
            }
        }
        if (pieces == null) {
            throw bad(file, "it has no \"model\" with a \"vocab\"");
        }
        int size = 0;
        for (int id : pieces.keySet()) {
            size = Math.max(size, id + 1);
        }
        for (int id : added.keySet()) {
            size = Math.max(size, id + 1);
        }
        String[] display = new String[size];
        for (Map.Entry<Integer, String> e : pieces.entrySet()) {
            display[e.getKey()] = readable(e.getValue(), byteLevel, metaspace || !byteLevel);
        }
        // Added tokens (special tokens such as <|endoftext|>) are stored as plain text, not byte-level;
        // a byte-fallback token <0xNN> may be one of them.
        for (Map.Entry<Integer, String> e : added.entrySet()) {
            display[e.getKey()] = readable(e.getValue(), false, false);
        }
        return new TokenVocabulary(display, type);
    }

    private record Model(String type, Map<Integer, String> pieces) {
    }

    private static Model readModel(JsonParser p, Path file) throws IOException {
        String type = null;
        Map<Integer, String> pieces = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("type") && t == JsonToken.VALUE_STRING) {
                type = p.getText();
            } else if (field.equals("vocab")) {
                pieces = new HashMap<>();
                if (t == JsonToken.START_OBJECT) {
                    // WordLevel, WordPiece, BPE: {"piece": id, ...}
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String piece = p.currentName();
                        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                            throw bad(file, "the id of vocabulary entry \"" + piece + "\" is not a whole number");
                        }
                        put(pieces, p.getIntValue(), piece, file);
                    }
                } else if (t == JsonToken.START_ARRAY) {
                    // Unigram: [["piece", score], ...], the id being the position.
                    int id = 0;
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        if (p.nextToken() != JsonToken.VALUE_STRING) {
                            throw bad(file, "Unigram vocabulary entry " + id + " does not start with its piece");
                        }
                        put(pieces, id++, p.getText(), file);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            p.skipChildren();
                        }
                    }
                } else {
                    throw bad(file, "\"model.vocab\" is neither an object nor an array");
                }
            } else {
                p.skipChildren();
            }
        }
        if (pieces == null) {
            throw bad(file, "its \"model\" has no \"vocab\"");
        }
        return new Model(type == null ? "unknown" : type, pieces);
    }

    private static void readAdded(JsonParser p, JsonToken t, Map<Integer, String> added, Path file) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Object v = ModelJson.MAPPER.readValue(p, Object.class);
            if (v instanceof Map<?, ?> m && m.get("id") instanceof Number id && m.get("content") instanceof String c) {
                added.put(id.intValue(), c);
            } else {
                throw bad(file, "an entry of \"added_tokens\" lacks a numeric \"id\" or a string \"content\"");
            }
        }
    }

    private static void put(Map<Integer, String> pieces, int id, String piece, Path file) {
        if (id < 0) {
            throw bad(file, "vocabulary entry \"" + piece + "\" has the negative id " + id);
        }
        if (pieces.put(id, piece) != null) {
            throw bad(file, "two vocabulary entries share the id " + id);
        }
    }

    /** Whether a pre_tokenizer/decoder value is of that type, alone or inside a Sequence. */
    private static boolean mentions(Object v, String type) {
        if (v instanceof Map<?, ?> m) {
            if (type.equals(m.get("type"))) {
                return true;
            }
            for (Object child : m.values()) {
                if (mentions(child, type)) {
                    return true;
                }
            }
        } else if (v instanceof List<?> l) {
            for (Object child : l) {
                if (mentions(child, type)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A vocabulary piece as text: byte-level decoded, or SentencePiece's ▁ and <0xNN> fallbacks undone. */
    static String readable(String piece, boolean byteLevel, boolean metaspace) {
        if (byteLevel) {
            byte[] bytes = new byte[piece.length()];
            for (int i = 0; i < piece.length(); i++) {
                Integer b = BYTE_OF_CHAR.get(piece.charAt(i));
                if (b == null) {
                    // not a byte-level piece after all (a special token in the vocabulary)
                    return visible(piece);
                }
                bytes[i] = (byte) (int) b;
            }
            return utf8(bytes);
        }
        if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
            try {
                return utf8(new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)});
            } catch (NumberFormatException e) {
                return visible(piece);
            }
        }
        return visible(metaspace ? piece.replace('\u2581', ' ') : piece);
    }

    /** Bytes as UTF-8 text where they form whole characters, {@code <0xNN>} for each byte that does not. */
    private static String utf8(byte[] bytes) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return visible(strict.decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            int i = 0;
            while (i < bytes.length) {
                int len = sequenceLength(bytes, i);
                if (len > 0) {
                    sb.append(visible(new String(bytes, i, len, StandardCharsets.UTF_8)));
                    i += len;
                } else {
                    sb.append(String.format(Locale.ROOT, "<0x%02X>", bytes[i] & 0xff));
                    i++;
                }
            }
            return sb.toString();
        }
    }

    /** Length of the well-formed UTF-8 sequence at i, or 0 when none starts there. */
    private static int sequenceLength(byte[] b, int i) {
        int lead = b[i] & 0xff;
        int len = lead < 0x80 ? 1 : lead >= 0xC2 && lead < 0xE0 ? 2 : lead >= 0xE0 && lead < 0xF0 ? 3
                : lead >= 0xF0 && lead < 0xF5 ? 4 : 0;
        if (len == 0 || i + len > b.length) {
            return 0;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, i, len));
            return len;
        } catch (CharacterCodingException e) {
            return 0;
        }
    }

    /** Whitespace and control characters as visible symbols, so that " the" and "the" differ on a page. */
    public static String visible(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case ' ' -> sb.append('\u2423');
                case '\n' -> sb.append('\u21B5');
                case '\t' -> sb.append('\u21E5');
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format(Locale.ROOT, "<0x%02X>", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the rest for U+0100 onwards. */
    private static Map<Character, Integer> byteLevelAlphabet() {
        Map<Character, Integer> map = new HashMap<>();
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map.put(printable ? (char) b : (char) (256 + next++), b);
        }
        return map;
    }

    private static ModelInputException bad(Path file, String what) {
        return new ModelInputException(file + " is not a Hugging Face tokenizer.json that spectral circuits can read: "
                + what + ". The file is optional (reports then show token ids only); replace it with the model's "
                + "published tokenizer.json, or remove it.");
    }
}

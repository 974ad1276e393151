package io.github.spectralcircuits.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tokenizer.json files written by Hugging Face tokenizers itself (src/test/resources/tokenizers, made by
 * make_tokenizers.py), each token's string checked against what that library decodes the token id to
 * (decoded.json), or against the vocabulary as databind reads it.
 */
class TokenVocabularyTest {
    static final Path DIR = Path.of("src/test/resources/tokenizers");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void byteLevelBpeMatchesTheLibrarysDecoding() throws IOException {
        TokenVocabulary v = TokenVocabulary.read(DIR.resolve("bytelevel-bpe-512.json"));
        assertEquals(512, v.size());
        assertEquals("BPE", v.modelType());
        int compared = compareWithDecoded(v, "bytelevel-bpe-512.json", 0);
        // all but the 128 bytes >= 0x80 alone, which the library decodes to U+FFFD
        assertTrue(compared >= 512 - 129, compared + " tokens compared");
        assertEquals("<|endoftext|>", v.token(511));
        // a byte-level piece with GPT-2's Ġ (space) shows a visible space, not Ġ
        JsonNode vocab = JSON.readTree(DIR.resolve("bytelevel-bpe-512.json").toFile()).get("model").get("vocab");
        int withSpace = vocab.get("\u0120the").asInt();
        assertEquals("\u2423the", v.token(withSpace));
        assertEquals("\u21B5", v.token(vocab.get("\u010A").asInt()), "Ċ is a newline");
        // byte 0xC3 alone is no whole UTF-8 character
        assertEquals("<0xC3>", v.token(vocab.get("\u00C3").asInt()));
        assertNull(v.token(512));
        assertNull(v.token(-1));
    }

    @Test
    void sentencePieceStyleBpeWithByteFallback() throws IOException {
        TokenVocabulary v = TokenVocabulary.read(DIR.resolve("sentencepiece-bpe.json"));
        assertEquals(400, v.size());
        // the special tokens as they are; <0x0A> is a newline, <0x41> 'A', <0xC3> not a character
        assertEquals("<unk>", v.token(0));
        assertEquals("<s>", v.token(1));
        assertEquals("\u21B5", v.token(3 + 0x0A));
        assertEquals("A", v.token(3 + 0x41));
        assertEquals("\u2423", v.token(3 + 0x20));
        assertEquals("<0xC3>", v.token(3 + 0xC3));
        int compared = compareWithDecoded(v, "sentencepiece-bpe.json", 3 + 256);
        assertTrue(compared > 100, compared + " tokens compared");
    }

    @Test
    void unigramVocabularyIsAListOfPieces() throws IOException {
        TokenVocabulary v = TokenVocabulary.read(DIR.resolve("unigram.json"));
        JsonNode vocab = JSON.readTree(DIR.resolve("unigram.json").toFile()).get("model").get("vocab");
        assertEquals("Unigram", v.modelType());
        assertEquals(vocab.size(), v.size());
        boolean sawMetaspace = false;
        for (int id = 0; id < vocab.size(); id++) {
            String piece = vocab.get(id).get(0).asText();
            sawMetaspace |= piece.startsWith("\u2581") && piece.length() > 1;
            assertEquals(TokenVocabulary.visible(piece.replace('\u2581', ' ')), v.token(id), "id " + id);
        }
        assertTrue(sawMetaspace);
    }

    @Test
    void wordLevelVocabulary() throws IOException {
        TokenVocabulary v = TokenVocabulary.read(DIR.resolve("wordlevel.json"));
        JsonNode vocab = JSON.readTree(DIR.resolve("wordlevel.json").toFile()).get("model").get("vocab");
        assertEquals("WordLevel", v.modelType());
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertEquals(e.getKey(), v.token(e.getValue().asInt()));
        }
    }

    @Test
    void absentFileIsNoVocabularyAndBrokenOnesAreClearErrors(@TempDir Path dir) throws IOException {
        assertFalse(TokenVocabulary.find(dir).isPresent());
        Path file = dir.resolve(TokenVocabulary.FILE);
        Files.writeString(file, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0,", StandardCharsets.UTF_8);
        ModelInputException truncated = assertThrows(ModelInputException.class, () -> TokenVocabulary.find(dir));
        assertTrue(truncated.getMessage().contains(file.toString()) && truncated.getMessage().contains("not valid JSON"),
                truncated.getMessage());
        Files.writeString(file, "{\"model\": {\"type\": \"BPE\"}}", StandardCharsets.UTF_8);
        ModelInputException noVocab = assertThrows(ModelInputException.class, () -> TokenVocabulary.read(file));
        assertTrue(noVocab.getMessage().contains("no \"vocab\""), noVocab.getMessage());
        Files.writeString(file, "{\"model\": {\"vocab\": {\"a\": 0, \"b\": 0}}}", StandardCharsets.UTF_8);
        ModelInputException shared = assertThrows(ModelInputException.class, () -> TokenVocabulary.read(file));
        assertTrue(shared.getMessage().contains("share the id 0"), shared.getMessage());
    }

    /** Every id from {@code from} on whose decoding is whole text equals our string; returns how many. */
    private static int compareWithDecoded(TokenVocabulary v, String name, int from) throws IOException {
        JsonNode decoded = JSON.readTree(DIR.resolve("decoded.json").toFile()).get(name);
        int compared = 0;
        for (int id = from; id < decoded.size(); id++) {
            String text = decoded.get(id).asText();
            if (text.indexOf('\uFFFD') >= 0) {
                continue;
            }
            assertEquals(TokenVocabulary.visible(text), v.token(id), "token " + id);
            compared++;
        }
        return compared;
    }
}

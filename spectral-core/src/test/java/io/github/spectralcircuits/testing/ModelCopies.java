package io.github.spectralcircuits.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies of the bundled stories260k with planted changes, for comparisons against the original. */
public final class ModelCopies {
    public static final Path STORIES = Path.of("../examples/stories260k");

    private ModelCopies() {
    }

    /**
     * A copy of stories260k in dir/scaled with the o_proj.weight columns of one head (columns head*8..head*8+7 of
     * layer's [64, 64] matrix) multiplied by factor, written byte for byte from the bundled file with only those
     * float32 values changed. That head's OV circuit is factor times the original (to float rounding): its singular
     * values and norm change by |factor - 1|, its singular subspaces not at all; every other circuit is the same.
     */
    public static Path withScaledOutputColumns(Path dir, int layer, int head, double factor) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("scaled"));
        Files.copy(STORIES.resolve("config.json"), copy.resolve("config.json"));
        byte[] bytes = Files.readAllBytes(STORIES.resolve("model.safetensors"));
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buf.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8));
        JsonNode t = header.get("model.layers." + layer + ".self_attn.o_proj.weight");
        if (!"F32".equals(t.get("dtype").asText())) {
            throw new IllegalStateException("stories260k's o_proj is expected in F32, not " + t.get("dtype"));
        }
        int rows = t.get("shape").get(0).asInt();
        int cols = t.get("shape").get(1).asInt();
        long start = 8 + headerLength + t.get("data_offsets").get(0).asLong();
        int dHead = 8;
        for (int r = 0; r < rows; r++) {
            for (int c = head * dHead; c < (head + 1) * dHead; c++) {
                int at = (int) (start + 4L * (r * cols + c));
                buf.putFloat(at, (float) (buf.getFloat(at) * factor));
            }
        }
        Files.write(copy.resolve("model.safetensors"), bytes);
        return copy;
    }
}

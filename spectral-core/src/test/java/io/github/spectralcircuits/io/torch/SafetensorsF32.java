package io.github.spectralcircuits.io.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough of the safetensors format to get the example model's float32 tensors as a
 * reference for the PyTorch reader, independent of the production safetensors reader.
 */
final class SafetensorsF32 {
    record Tensor(long[] shape, float[] values) {
    }

    private SafetensorsF32() {
    }

    static Map<String, Tensor> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) b.getLong(0);
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, headerLength, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            if (!e.getValue().get("dtype").asText().equals("F32")) {
                throw new IllegalStateException("fixture expects F32 only");
            }
            JsonNode shapeNode = e.getValue().get("shape");
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong();
            }
            int begin = 8 + headerLength + e.getValue().get("data_offsets").get(0).asInt();
            int end = 8 + headerLength + e.getValue().get("data_offsets").get(1).asInt();
            float[] values = new float[(end - begin) / 4];
            for (int i = 0; i < values.length; i++) {
                values[i] = b.getFloat(begin + 4 * i);
            }
            out.put(e.getKey(), new Tensor(shape, values));
        }
        return out;
    }
}

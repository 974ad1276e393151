package io.github.spectralcircuits.examples.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes a copy of a Llama-layout Hugging Face model (config.json + one model.safetensors, float32) in which
 * one attention head's output projection is multiplied by a factor: a planted checkpoint whose only change
 * is that head's OV circuit.
 * <p>
 * Which numbers belong to head h: {@code o_proj.weight} is a Linear weight, stored [out, in] =
 * [d_model, H * d_head], and the layer computes y = x Wᵀ with x the H heads' outputs concatenated, head h's
 * at positions h * d_head .. (h + 1) * d_head - 1. So head h owns those columns of every row. In the
 * row-vector convention (W_O of head h is [d_head, d_model]) they are W_O's rows; scaling them by f scales
 * OV = W_E W_V W_O W_U by f, hence every eigenvalue and singular value of that head's OV circuit, and
 * nothing else (W_V is shared within a key/value group, W_O is not).
 * <p>
 * Every other byte of the file is copied as it is, so the copies differ from the original only there.
 * Reads the weights whole: meant for a small example model, not for a 7B checkpoint.
 *
 * <pre>usage: java -cp jackson-databind.jar:jackson-core.jar:jackson-annotations.jar ScaledHeadCopy.java \
 *            SOURCE_DIR TARGET_DIR LAYER HEAD FACTOR</pre>
 */
public final class ScaledHeadCopy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScaledHeadCopy() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: ScaledHeadCopy SOURCE_DIR TARGET_DIR LAYER HEAD FACTOR");
        }
        Path source = Path.of(args[0]).toAbsolutePath().normalize();
        Path target = Path.of(args[1]).toAbsolutePath().normalize();
        int layer = Integer.parseInt(args[2]);
        int head = Integer.parseInt(args[3]);
        double factor = Double.parseDouble(args[4]);
        write(source, target, layer, head, factor);
        System.out.printf(Locale.ROOT, "Wrote %s: layer %d head %d's o_proj columns scaled by %s%n",
                target.resolve("model.safetensors"), layer, head, args[4]);
    }

    static void write(Path source, Path target, int layer, int head, double factor) throws IOException {
        JsonNode config = JSON.readTree(source.resolve("config.json").toFile());
        int dModel = config.path("hidden_size").asInt();
        int nHeads = config.path("num_attention_heads").asInt();
        int dHead = config.hasNonNull("head_dim") ? config.get("head_dim").asInt() : dModel / nHeads;
        if (head < 0 || head >= nHeads) {
            throw new IllegalArgumentException("head " + head + " is not one of the model's " + nHeads + " heads");
        }

        byte[] bytes = Files.readAllBytes(source.resolve("model.safetensors"));
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(buffer.getLong(0));
        JsonNode header = JSON.readTree(bytes, 8, headerLength);
        String name = oProj(header, layer);
        JsonNode entry = header.get(name);
        long rows = entry.get("shape").get(0).asLong();
        long cols = entry.get("shape").get(1).asLong();
        if (!"F32".equals(entry.get("dtype").asText()) || rows != dModel || cols != (long) nHeads * dHead) {
            throw new IllegalArgumentException(name + " is " + entry.get("dtype").asText() + " " + entry.get("shape")
                    + "; this example handles float32 [" + dModel + ", " + nHeads * dHead + "] only");
        }
        long begin = 8L + headerLength + entry.get("data_offsets").get(0).asLong();
        for (long r = 0; r < rows; r++) {
            for (long c = (long) head * dHead; c < (long) (head + 1) * dHead; c++) {
                int at = Math.toIntExact(begin + 4 * (r * cols + c));
                buffer.putFloat(at, (float) (buffer.getFloat(at) * factor));
            }
        }

        Files.createDirectories(target);
        for (String other : new String[] {"config.json", "tokenizer.json"}) {
            if (Files.isRegularFile(source.resolve(other))) {
                Files.copy(source.resolve(other), target.resolve(other), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // written beside and renamed, so a reader never sees half a file
        Path tmp = target.resolve(".model.safetensors.tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The layer's o_proj weight, with or without the "model." prefix. */
    private static String oProj(JsonNode header, int layer) {
        Pattern p = Pattern.compile("(.*\\.)?layers\\." + layer + "\\.self_attn\\.o_proj\\.weight");
        for (Iterator<String> names = header.fieldNames(); names.hasNext(); ) {
            String n = names.next();
            if (p.matcher(n).matches()) {
                return n;
            }
        }
        throw new IllegalArgumentException("no layers." + layer + ".self_attn.o_proj.weight in the weights; this "
                + "example reads Llama-layout models");
    }
}

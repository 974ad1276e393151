package io.github.spectralcircuits.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sharded BF16 Llama-family checkpoints with a 7B-13B model's shapes, written as Hugging Face lays them out
 * (model-0000i-of-0000n.safetensors and model.safetensors.index.json, shards of at most 5 GB), for timing
 * only. The MLP tensors are in the headers, as in real checkpoints, but are file holes (sparse, no disk and
 * no time): only the embedding, the unembedding, the norms and the attention weights are generated,
 * N(0, 0.02^2) and gains 1 + 0.1 N(0, 1), a row block at a time so that any size takes little heap. The
 * same layout as the shared gen_big.py, so the numpy peer reads it.
 *
 * <p>Arguments: {@code llama2-7b|llama2-13b|mistral-7b OUT [layers]}; layers default to the real count.
 */
public final class BigShapes {
    /** V, d, layers, heads, kv heads, MLP width. */
    record Shape(String id, int vocab, int d, int layers, int heads, int kvHeads, int mlp, String architecture) {
        int dHead() {
            return d / heads;
        }
    }

    static final List<Shape> SHAPES = List.of(
            new Shape("llama2-7b", 32000, 4096, 32, 32, 32, 11008, "LlamaForCausalLM"),
            new Shape("mistral-7b", 32000, 4096, 32, 32, 8, 14336, "MistralForCausalLM"),
            new Shape("llama2-13b", 32000, 5120, 40, 40, 40, 13824, "LlamaForCausalLM"));
    private static final long SHARD_BYTES = 5_000_000_000L;

    private record Tensor(String name, long[] shape, int kind) {
        static final int HOLE = 0;
        static final int WEIGHT = 1;
        static final int GAIN = 2;

        long bytes() {
            long n = 2;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }
    }

    public static void main(String[] args) throws IOException {
        Shape s = shape(args[0]);
        int layers = args.length > 2 ? Integer.parseInt(args[2]) : s.layers();
        Path dir = Path.of(args[1]);
        long t0 = System.nanoTime();
        if (write(s, layers, dir)) {
            System.out.printf("wrote %s (%d layers) to %s in %.1f s%n", s.id(), layers, dir, (System.nanoTime() - t0) / 1e9);
        } else {
            System.out.println("workload " + s.id() + " (" + layers + " layers): " + dir + " (already there)");
        }
    }

    static Shape shape(String id) {
        return SHAPES.stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown shape " + id + "; known: llama2-7b, mistral-7b, llama2-13b"));
    }

    /** Writes the checkpoint unless a complete one (its config.json is written last) is there; true if written. */
    static boolean write(Shape s, int layers, Path dir) throws IOException {
        if (Files.exists(dir.resolve("config.json"))) {
            return false;
        }
        Files.createDirectories(dir);
        int d = s.d();
        int q = s.heads() * s.dHead();
        int kv = s.kvHeads() * s.dHead();
        List<Tensor> all = new ArrayList<>();
        all.add(new Tensor("model.embed_tokens.weight", new long[] {s.vocab(), d}, Tensor.WEIGHT));
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            all.add(new Tensor(p + "input_layernorm.weight", new long[] {d}, Tensor.GAIN));
            all.add(new Tensor(p + "self_attn.q_proj.weight", new long[] {q, d}, Tensor.WEIGHT));
            all.add(new Tensor(p + "self_attn.k_proj.weight", new long[] {kv, d}, Tensor.WEIGHT));
            all.add(new Tensor(p + "self_attn.v_proj.weight", new long[] {kv, d}, Tensor.WEIGHT));
            all.add(new Tensor(p + "self_attn.o_proj.weight", new long[] {d, q}, Tensor.WEIGHT));
            all.add(new Tensor(p + "post_attention_layernorm.weight", new long[] {d}, Tensor.GAIN));
            all.add(new Tensor(p + "mlp.gate_proj.weight", new long[] {s.mlp(), d}, Tensor.HOLE));
            all.add(new Tensor(p + "mlp.up_proj.weight", new long[] {s.mlp(), d}, Tensor.HOLE));
            all.add(new Tensor(p + "mlp.down_proj.weight", new long[] {d, s.mlp()}, Tensor.HOLE));
        }
        all.add(new Tensor("model.norm.weight", new long[] {d}, Tensor.GAIN));
        all.add(new Tensor("lm_head.weight", new long[] {s.vocab(), d}, Tensor.WEIGHT));

        List<List<Tensor>> shards = new ArrayList<>();
        List<Tensor> current = new ArrayList<>();
        long size = 0;
        for (Tensor t : all) {
            if (!current.isEmpty() && size + t.bytes() > SHARD_BYTES) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += t.bytes();
        }
        shards.add(current);
        ObjectMapper json = new ObjectMapper();
        ObjectNode weightMap = json.createObjectNode();
        SplittableRandom random = new SplittableRandom(1);
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            total += writeShard(dir.resolve(name), shards.get(i), random, json);
            shards.get(i).forEach(t -> weightMap.put(t.name(), name));
        }
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        index.set("weight_map", weightMap);
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toPrettyString());
        ObjectNode c = json.createObjectNode();
        c.putArray("architectures").add(s.architecture());
        c.put("model_type", s.architecture().replace("ForCausalLM", "").toLowerCase()).put("vocab_size", s.vocab())
                .put("hidden_size", d).put("num_hidden_layers", layers).put("num_attention_heads", s.heads())
                .put("num_key_value_heads", s.kvHeads()).put("intermediate_size", s.mlp()).put("rms_norm_eps", 1e-5)
                .put("tie_word_embeddings", false).put("initializer_range", 0.02).put("torch_dtype", "bfloat16")
                .put("max_position_embeddings", 4096).put("hidden_act", "silu");
        Files.writeString(dir.resolve("config.json"), c.toPrettyString());
        return true;
    }

    private static long writeShard(Path file, List<Tensor> tensors, SplittableRandom random, ObjectMapper json) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Tensor t : tensors) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dtype", "BF16");
            e.put("shape", t.shape());
            e.put("data_offsets", new long[] {offset, offset + t.bytes()});
            header.put(t.name(), e);
            offset += t.bytes();
        }
        header.put("__metadata__", Map.of("format", "pt"));
        byte[] h = json.writeValueAsBytes(header);
        int padded = (h.length + 7) / 8 * 8;
        byte[] headerBytes = new byte[padded];
        java.util.Arrays.fill(headerBytes, (byte) ' ');
        System.arraycopy(h, 0, headerBytes, 0, h.length);
        String check = new String(headerBytes, StandardCharsets.UTF_8);
        if (!check.startsWith("{")) {
            throw new IllegalStateException("header");
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); FileChannel ch = raf.getChannel()) {
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
            ch.write(prefix, 0);
            ch.write(ByteBuffer.wrap(headerBytes), 8);
            long base = 8L + padded;
            long at = 0;
            ByteBuffer block = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors) {
                if (t.kind() != Tensor.HOLE) {
                    long n = t.bytes() / 2;
                    long position = base + at;
                    for (long done = 0; done < n; ) {
                        block.clear();
                        int count = (int) Math.min(block.capacity() / 2, n - done);
                        for (int k = 0; k < count; k++) {
                            double g = random.nextGaussian();
                            double v = t.kind() == Tensor.GAIN ? 1 + 0.1 * g : 0.02 * g;
                            block.putShort(toBf16((float) v));
                        }
                        block.flip();
                        while (block.hasRemaining()) {
                            position += ch.write(block, position);
                        }
                        done += count;
                    }
                }
                at += t.bytes();
            }
            raf.setLength(base + at); // the holes at the end, if any
        }
        return offset;
    }

    /** Round to nearest even, as torch converts. */
    static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        return (short) ((u + 0x7FFF + ((u >>> 16) & 1)) >>> 16);
    }
}

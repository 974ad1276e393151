package io.github.spectralcircuits.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Random model directories with real models' shapes and Hugging Face layouts, for timing only
 * (the benchmark's workloads, so that it needs nothing outside the project): TinyStories-33M
 * (GPT-Neo, the reference workload of SPEC section 9), GPT-2 small and Pythia-160M. Weights are
 * N(0, 0.02^2), norm gains 1 + 0.1 N(0, 1), biases 0; the unembedding is tied except for Pythia.
 * MLP tensors are included so that files have the real size.
 */
public final class ShapedModels {
    public enum Shape {
        TINYSTORIES_33M("tinystories33m"), GPT2_SMALL("gpt2small"), PYTHIA_160M("pythia160m");

        final String id;

        Shape(String id) {
            this.id = id;
        }

        public static Shape of(String id) {
            for (Shape s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown shape " + id + "; known: tinystories33m, gpt2small, pythia160m");
        }
    }

    private final SplittableRandom random;

    /** Arguments: shape,shape,... workDir. Generation needs a larger heap than the benchmark itself. */
    public static void main(String[] args) throws IOException {
        for (String id : args[0].split(",")) {
            String shape = id.trim();
            if (isBig(shape)) {
                BigShapes.Shape big = BigShapes.shape(bigShape(shape));
                int layers = bigLayers(shape);
                Path dir = Path.of(args[1]).resolve(bigDirectory(shape));
                BigShapes.write(big, layers, dir);
                System.out.println("workload " + shape + " (" + layers + " layers, sparse BF16 shards): " + dir);
                continue;
            }
            Path dir = ensure(Shape.of(shape), Path.of(args[1]).resolve(shape), 1);
            System.out.println("workload " + shape + ": " + dir);
        }
    }

    /**
     * A 7B-13B shape of {@link BigShapes}: "llama2-7b" (4 layers: the same per-layer and shared work as the
     * whole model, less of it), "llama2-7b:32" (all of them), likewise mistral-7b and llama2-13b.
     */
    static boolean isBig(String id) {
        String base = bigShape(id);
        return BigShapes.SHAPES.stream().anyMatch(s -> s.id().equals(base));
    }

    static String bigShape(String id) {
        int colon = id.indexOf(':');
        return colon < 0 ? id : id.substring(0, colon);
    }

    static int bigLayers(String id) {
        int colon = id.indexOf(':');
        return colon < 0 ? 4 : Integer.parseInt(id.substring(colon + 1));
    }

    /** llama2-7b-4, llama2-7b-32: the directory a big shape is written to. */
    static String bigDirectory(String id) {
        return bigShape(id) + "-" + bigLayers(id);
    }

    private ShapedModels(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Writes the model into dir (config.json + model.safetensors) unless it is already there. */
    public static Path ensure(Shape shape, Path dir, long seed) throws IOException {
        if (Files.exists(dir.resolve("model.safetensors")) && Files.exists(dir.resolve("config.json"))) {
            return dir;
        }
        Files.createDirectories(dir);
        new ShapedModels(seed).write(shape, dir);
        return dir;
    }

    private double[] normal(int n, double std) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller is plenty for timing data.
            double u = 1.0 - random.nextDouble();
            v[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        return v;
    }

    private double[] gain(int n) {
        double[] v = normal(n, 0.1);
        for (int i = 0; i < n; i++) {
            v[i] += 1;
        }
        return v;
    }

    private void write(Shape shape, Path dir) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        ObjectNode c = new ObjectMapper().createObjectNode();
        int d = 768;
        switch (shape) {
            case TINYSTORIES_33M, GPT2_SMALL -> {
                int vocab = 50257;
                boolean neo = shape == Shape.TINYSTORIES_33M;
                int layers = neo ? 4 : 12;
                int heads = neo ? 16 : 12;
                String pre = "transformer.";
                w.add(pre + "wte.weight", DType.F32, normal(vocab * d, 0.02), vocab, d);
                w.add(pre + "wpe.weight", DType.F32, normal(2048 * d, 0.02), 2048, d);
                for (int l = 0; l < layers; l++) {
                    String p = pre + "h." + l + ".";
                    w.add(p + "ln_1.weight", DType.F32, gain(d), d);
                    w.add(p + "ln_1.bias", DType.F32, new double[d], d);
                    if (neo) {
                        for (String n : new String[] {"q", "k", "v"}) {
                            w.add(p + "attn.attention." + n + "_proj.weight", DType.F32, normal(d * d, 0.02), d, d);
                        }
                        w.add(p + "attn.attention.out_proj.weight", DType.F32, normal(d * d, 0.02), d, d);
                        w.add(p + "attn.attention.out_proj.bias", DType.F32, new double[d], d);
                        w.add(p + "mlp.c_fc.weight", DType.F32, normal(4 * d * d, 0.02), 4 * d, d);
                        w.add(p + "mlp.c_proj.weight", DType.F32, normal(4 * d * d, 0.02), d, 4 * d);
                    } else {
                        w.add(p + "attn.c_attn.weight", DType.F32, normal(3 * d * d, 0.02), d, 3 * d);
                        w.add(p + "attn.c_attn.bias", DType.F32, new double[3 * d], 3 * d);
                        w.add(p + "attn.c_proj.weight", DType.F32, normal(d * d, 0.02), d, d);
                        w.add(p + "attn.c_proj.bias", DType.F32, new double[d], d);
                        w.add(p + "mlp.c_fc.weight", DType.F32, normal(4 * d * d, 0.02), d, 4 * d);
                        w.add(p + "mlp.c_proj.weight", DType.F32, normal(4 * d * d, 0.02), 4 * d, d);
                    }
                    w.add(p + "mlp.c_fc.bias", DType.F32, new double[4 * d], 4 * d);
                    w.add(p + "mlp.c_proj.bias", DType.F32, new double[d], d);
                    w.add(p + "ln_2.weight", DType.F32, gain(d), d);
                    w.add(p + "ln_2.bias", DType.F32, new double[d], d);
                }
                w.add(pre + "ln_f.weight", DType.F32, gain(d), d);
                w.add(pre + "ln_f.bias", DType.F32, new double[d], d);
                if (neo) {
                    c.putArray("architectures").add("GPTNeoForCausalLM");
                    c.put("model_type", "gpt_neo").put("hidden_size", d).put("num_heads", heads)
                            .put("num_layers", layers).put("vocab_size", vocab).put("max_position_embeddings", 2048);
                } else {
                    c.putArray("architectures").add("GPT2LMHeadModel");
                    c.put("model_type", "gpt2").put("n_embd", d).put("n_head", heads).put("n_layer", layers)
                            .put("vocab_size", vocab).put("n_positions", 1024);
                }
            }
            case PYTHIA_160M -> {
                int vocab = 50304;
                int layers = 12;
                int heads = 12;
                String pre = "gpt_neox.";
                w.add(pre + "embed_in.weight", DType.F32, normal(vocab * d, 0.02), vocab, d);
                for (int l = 0; l < layers; l++) {
                    String p = pre + "layers." + l + ".";
                    w.add(p + "attention.query_key_value.weight", DType.F32, normal(3 * d * d, 0.02), 3 * d, d);
                    w.add(p + "attention.query_key_value.bias", DType.F32, new double[3 * d], 3 * d);
                    w.add(p + "attention.dense.weight", DType.F32, normal(d * d, 0.02), d, d);
                    w.add(p + "attention.dense.bias", DType.F32, new double[d], d);
                    w.add(p + "input_layernorm.weight", DType.F32, gain(d), d);
                    w.add(p + "input_layernorm.bias", DType.F32, new double[d], d);
                    w.add(p + "post_attention_layernorm.weight", DType.F32, gain(d), d);
                    w.add(p + "post_attention_layernorm.bias", DType.F32, new double[d], d);
                    w.add(p + "mlp.dense_h_to_4h.weight", DType.F32, normal(4 * d * d, 0.02), 4 * d, d);
                    w.add(p + "mlp.dense_h_to_4h.bias", DType.F32, new double[4 * d], 4 * d);
                    w.add(p + "mlp.dense_4h_to_h.weight", DType.F32, normal(4 * d * d, 0.02), d, 4 * d);
                    w.add(p + "mlp.dense_4h_to_h.bias", DType.F32, new double[d], d);
                }
                w.add(pre + "final_layer_norm.weight", DType.F32, gain(d), d);
                w.add(pre + "final_layer_norm.bias", DType.F32, new double[d], d);
                w.add("embed_out.weight", DType.F32, normal(vocab * d, 0.02), vocab, d);
                c.putArray("architectures").add("GPTNeoXForCausalLM");
                c.put("model_type", "gpt_neox").put("hidden_size", d).put("num_attention_heads", heads)
                        .put("num_hidden_layers", layers).put("vocab_size", vocab).put("tie_word_embeddings", false);
            }
            default -> throw new IllegalStateException(shape.toString());
        }
        c.put("initializer_range", 0.02);
        w.write(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), c.toPrettyString());
    }
}

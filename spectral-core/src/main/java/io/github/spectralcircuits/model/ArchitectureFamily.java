package io.github.spectralcircuits.model;

import java.util.List;
import java.util.Map;

/**
 * One architecture family as data: where its tensors are, how its attention is laid out and which
 * conventions put extra factors on a head's direct path. {@link FamilyAdapter} interprets it; the
 * families themselves are declared in {@link Families}. Names are relative to the checkpoint's prefix
 * (one of {@link #prefixes}, found by the embedding), per-layer names relative to {@link #layer}, whose
 * {@code %d} is the layer index; the unembedding's names are absolute, as Hugging Face stores them.
 *
 * @param name           the family as people call it ("GPT-NeoX"), for documentation and messages
 * @param architectures  the config.json {@code architectures[0]} values it reads
 * @param prefixes       the base-model prefixes Hugging Face's loader accepts, "" for none, in order
 * @param sizes          config keys of the sizes, and the class defaults for keys a config may omit
 * @param kvHeads        how the number of key/value heads follows from config.json
 * @param embedding      W_E [V, d]
 * @param layer          the per-layer prefix, e.g. {@code h.%d.}
 * @param projections    separate or fused projections, and their storage
 * @param gain           how a stored norm weight becomes the gain folding multiplies in ({@code w} or {@code 1 + w})
 * @param attentionNorm  the norm whose output the attention reads; null when there is none (OLMo2)
 * @param qkNorm         norms on the queries and keys, folded into W_Q's and W_K's columns; null when none
 * @param outputNorm     a norm on the attention's output, folded into W_O's columns (Gemma2, OLMo2); null when none
 * @param finalNorm      the norm before the unembedding, folded into W_U's rows
 * @param unembedding    W_U^T [V, d] under the names Hugging Face's loader accepts, first present wins
 * @param tiedByDefault  the config class's default for {@code tie_word_embeddings}
 * @param conventions    factors on W_E and W_U that are not layer norms (Gemma, BLOOM, Cohere)
 * @param unsupported    configurations Hugging Face reads but these circuits cannot, refused with a reason
 */
public record ArchitectureFamily(
        String name,
        List<String> architectures,
        List<String> prefixes,
        Sizes sizes,
        KvHeads kvHeads,
        String embedding,
        String layer,
        Projections projections,
        Gain gain,
        Norm attentionNorm,
        QkNorm qkNorm,
        Norm outputNorm,
        Norm finalNorm,
        List<String> unembedding,
        boolean tiedByDefault,
        Conventions conventions,
        List<Unsupported> unsupported) {

    public ArchitectureFamily {
        architectures = List.copyOf(architectures);
        prefixes = List.copyOf(prefixes);
        unembedding = List.copyOf(unembedding);
        unsupported = List.copyOf(unsupported);
    }

    /**
     * Config keys of d, L, H and an explicit head size (first present wins; vocab_size is the same in
     * every family), and the values the config class gives keys that config.json leaves out entirely
     * (not those it sets to null, which mean "derive it", as in Hugging Face's config classes).
     */
    public record Sizes(List<String> dModel, List<String> layers, List<String> heads, List<String> headDim,
                        Map<String, Integer> classDefaults) {
        public Sizes {
            dModel = List.copyOf(dModel);
            layers = List.copyOf(layers);
            heads = List.copyOf(heads);
            headDim = List.copyOf(headDim);
            classDefaults = Map.copyOf(classDefaults);
        }
    }

    /**
     * The number of key/value heads. When {@code groupedFlag} is set in config.json (Falcon's
     * new_decoder_architecture) or there is no {@code multiQuery} switch, it is read from {@code keys}
     * (KV = H when none is present); otherwise {@code multiQuery} on means one shared key/value head and
     * off means KV = H (GPTBigCode, Falcon-7B).
     */
    public record KvHeads(List<String> keys, Switch multiQuery, String groupedFlag) {
        public KvHeads {
            keys = List.copyOf(keys);
        }

        /** Classic multi-head attention: KV = H always. */
        public static final KvHeads NONE = new KvHeads(List.of(), null, null);
    }

    /**
     * A condition on a boolean config key: it holds when the key's value (or {@code whenAbsent}, the
     * config class's default, when config.json leaves it out) is {@code wanted}.
     */
    public record Switch(String key, boolean whenAbsent, boolean wanted) {
        /** Holds when the key is true. */
        public static Switch on(String key, boolean whenAbsent) {
            return new Switch(key, whenAbsent, true);
        }

        /** Holds when the key is false. */
        public static Switch off(String key, boolean whenAbsent) {
            return new Switch(key, whenAbsent, false);
        }

        boolean on(ModelConfig config) {
            return config.bool(key, whenAbsent) == wanted;
        }
    }

    /** How a stored matrix maps onto y = x W: Linear stores [out, in], Conv1D (GPT-2) [in, out]. */
    public enum Storage { LINEAR, CONV1D }

    /**
     * How one fused matrix orders its outputs.
     * BLOCKS: [all queries | all keys | all values] (GPT-2, Phi-3).
     * GROUPED: per key/value head g, the H/KV queries that share it, then its key, then its value, each dh
     * wide: (KV, H/KV + 2, dh). With KV = H that is GPT-NeoX's and BLOOM's (H, [q, k, v], dh); with KV = 1
     * it is [Q | k | v] of multi-query attention (Falcon-7B, GPTBigCode); in between, Falcon's
     * new_decoder_architecture.
     */
    public enum FusedLayout {
        BLOCKS, GROUPED;

        /** The output index of feature i of head {@code head} of part 0 (query), 1 (key) or 2 (value). */
        int output(int part, int head, int i, int heads, int kvHeads, int dh) {
            if (this == BLOCKS) {
                int base = part == 0 ? 0 : part == 1 ? heads * dh : (heads + kvHeads) * dh;
                return base + head * dh + i;
            }
            int perGroup = heads / kvHeads;
            int group = part == 0 ? head / perGroup : head;
            int slot = part == 0 ? head % perGroup : perGroup + part - 1;
            return (group * (perGroup + 2) + slot) * dh + i;
        }
    }

    /** Where the query, key, value and output projections are. */
    public sealed interface Projections permits Separate, Fused {
        /** The output projection W_O's tensor name. */
        String output();

        Storage outputStorage();
    }

    /** Separate Linear q, k, v (and o) projections. */
    public record Separate(String query, String key, String value, String output) implements Projections {
        @Override
        public Storage outputStorage() {
            return Storage.LINEAR;
        }
    }

    /** One fused q/k/v matrix in {@code layout}, stored as {@code storage}; the output projection apart. */
    public record Fused(String qkv, FusedLayout layout, Storage storage, String output, Storage outputStorage)
            implements Projections {
    }

    /** A stored norm weight w as the gain of y = norm(x) * gain: w itself, or 1 + w (Gemma's RMSNorm). */
    public enum Gain {
        STORED, ONE_PLUS_STORED;

        double[] of(double[] w) {
            if (this == STORED) {
                return w;
            }
            double[] g = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                g[i] = 1.0 + w[i];
            }
            return g;
        }
    }

    /**
     * A norm's weight tensor (the first of {@code names} the checkpoint has: Falcon calls the same norm
     * ln_attn or input_layernorm), present only while every switch is on (OPT's do_layer_norm_before).
     */
    public record Norm(List<String> names, List<Switch> onlyWhen) {
        public Norm {
            names = List.copyOf(names);
            onlyWhen = List.copyOf(onlyWhen);
        }

        public static Norm of(String... names) {
            return new Norm(List.of(names), List.of());
        }

        public Norm onlyWhen(Switch... switches) {
            return new Norm(names, List.of(switches));
        }

        boolean on(ModelConfig config) {
            return onlyWhen.stream().allMatch(s -> s.on(config));
        }
    }

    /**
     * The stored form of a query (or key) norm's gain.
     * SHARED: [dh], one gain for every head (Qwen3, Phi). PER_HEAD: [H, dh] (Cohere). WHOLE: [H*dh], one
     * norm over the whole projection whose gain is sliced per head (OLMo2). MODULE_PER_HEAD: one [dh]
     * tensor per head, its index in the name (StableLM's norms.%d).
     */
    public enum QkNormShape { SHARED, PER_HEAD, WHOLE, MODULE_PER_HEAD }

    /** Query and key norms; {@code enabledBy} null means always present. */
    public record QkNorm(String query, String key, QkNormShape shape, Switch enabledBy) {
        boolean on(ModelConfig config) {
            return enabledBy == null || enabledBy.on(config);
        }
    }

    /**
     * What the residual stream and the logits see beyond the stored W_E and W_U, folded with the norms.
     *
     * @param embeddingScaleSqrtD W_E is multiplied by sqrt(d) (Gemma's normalizer); a tied W_U is not
     * @param embeddingNorm       a LayerNorm applied to W_E's rows, gain and bias (BLOOM); null when none
     * @param logitScale          a config key whose value multiplies the logits (Cohere); null when none
     */
    public record Conventions(boolean embeddingScaleSqrtD, EmbeddingNorm embeddingNorm, ScaleKey logitScale) {
        public static final Conventions NONE = new Conventions(false, null, null);
    }

    /** BLOOM's word_embeddings_layernorm: weight and bias (relative to the prefix) and its epsilon's key. */
    public record EmbeddingNorm(String weight, String bias, String epsilonKey, double epsilonDefault) {
    }

    /** A config key holding a scale factor, and its class default. */
    public record ScaleKey(String key, double whenAbsent) {
    }

    /**
     * A configuration Hugging Face loads but these circuits do not model: config key {@code key} must be
     * absent, null or equal to d_model; {@code why} completes "is not supported: ...".
     */
    public record Unsupported(String key, String why) {
    }
}

package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.model.ArchitectureFamily.KvHeads;
import java.util.List;
import java.util.Map;

/**
 * The sizes every family shares (V, d, L, H, KV, dh), read from config.json under the family's own key
 * names and checked for consistency before any tensor is looked at.
 */
public record AttentionSizes(ConfigDim vocab, ConfigDim dModel, ConfigDim layers,
                             ConfigDim heads, ConfigDim kvHeads, ConfigDim dHead) {

    private static final List<String> VOCAB = List.of("vocab_size");

    public static AttentionSizes read(ModelConfig config, ArchitectureFamily family) {
        ArchitectureFamily.Sizes keys = family.sizes();
        Map<String, Integer> defaults = keys.classDefaults();
        ConfigDim v = required(config, VOCAB);
        ConfigDim d = required(config, keys.dModel());
        ConfigDim l = required(config, keys.layers());
        ConfigDim h = required(config, keys.heads());
        ConfigDim kv = kvHeads(config, family, h);
        if (kv.value() > h.value() || h.value() % kv.value() != 0) {
            throw new ModelInputException(config.file() + ": " + h.expression() + "=" + h.value()
                    + " query heads cannot be shared evenly among " + kv.expression() + "=" + kv.value()
                    + " key/value heads (grouped-query attention needs the number of query heads to be a multiple"
                    + " of the number of key/value heads); fix config.json to match the weights.");
        }
        ConfigDim dh = optional(config, keys.headDim(), defaults, family.name());
        if (dh == null) {
            if (d.value() % h.value() != 0) {
                throw new ModelInputException(config.file() + ": " + d.expression() + "=" + d.value()
                        + " is not divisible by " + h.expression() + "=" + h.value()
                        + ", so the head size cannot be derived; fix config.json"
                        + (keys.headDim().isEmpty() ? "." : " or give \"" + keys.headDim().get(0) + "\" explicitly."));
            }
            dh = ConfigDim.derived("head_dim", d.value() / h.value(), d.expression() + "/" + h.expression());
        }
        return new AttentionSizes(v, d, l, h, kv, dh);
    }

    /**
     * KV as the family's attention module computes it: a multi-query switch (unless the grouped flag
     * is set) gives 1 or H; otherwise the first key present, the class default, or H.
     */
    private static ConfigDim kvHeads(ModelConfig config, ArchitectureFamily family, ConfigDim heads) {
        KvHeads rule = family.kvHeads();
        boolean grouped = rule.groupedFlag() != null && config.bool(rule.groupedFlag(), false);
        if (!grouped && rule.multiQuery() != null) {
            if (rule.multiQuery().on(config)) {
                return ConfigDim.derived("kv_heads", 1, rule.multiQuery().key() + "=true: one key/value head");
            }
            return heads;
        }
        ConfigDim kv = optional(config, rule.keys(), family.sizes().classDefaults(), family.name());
        return kv == null ? heads : kv;
    }

    /** H*dh, the width of all query heads together (d unless head_dim is given explicitly). */
    public ConfigDim queryWidth() {
        return heads.times(dHead);
    }

    /** KV*dh, the width of all key (or value) heads together. */
    public ConfigDim kvWidth() {
        return kvHeads.times(dHead);
    }

    /** (H + 2 KV)*dh, the width of a fused query/key/value matrix: 3*H*dh without grouped-query attention. */
    public ConfigDim fusedWidth() {
        return kvHeads == heads ? queryWidth().times(3) : queryWidth().plus(kvWidth().times(2));
    }

    private static ConfigDim required(ModelConfig config, List<String> keys) {
        int value = config.positiveInt(keys.toArray(String[]::new));
        return ConfigDim.key(firstPresent(config, keys), value);
    }

    /**
     * The first key present; else, when config.json does not mention the key at all, the config class's
     * default for it; else null (derive it).
     */
    private static ConfigDim optional(ModelConfig config, List<String> keys, Map<String, Integer> defaults, String family) {
        String key = firstPresent(config, keys);
        if (key != null) {
            return ConfigDim.key(key, config.positiveInt(key));
        }
        for (String k : keys) {
            if (defaults.containsKey(k) && !config.mentions(k)) {
                return ConfigDim.derived(k, defaults.get(k), "the " + family + " default, as config.json does not set it");
            }
        }
        return null;
    }

    private static String firstPresent(ModelConfig config, List<String> keys) {
        for (String k : keys) {
            if (config.has(k)) {
                return k;
            }
        }
        return null;
    }
}

package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.ModelInputException;
import java.util.List;

/**
 * The sizes every family shares (V, d, L, H, KV, dh), read from config.json under the family's own key
 * names and checked for consistency before any tensor is looked at.
 */
public record AttentionSizes(ConfigDim vocab, ConfigDim dModel, ConfigDim layers,
                             ConfigDim heads, ConfigDim kvHeads, ConfigDim dHead) {

    /**
     * The config keys of one family; the first key present in each list wins. {@code kvHeadKeys} empty
     * means the family has no grouped-query attention (KV = H); {@code headDimKeys} empty or absent from
     * the config means dh = d / H, which must then divide evenly.
     */
    public record Keys(List<String> vocabKeys, List<String> dModelKeys, List<String> layerKeys,
                       List<String> headKeys, List<String> kvHeadKeys, List<String> headDimKeys) {
    }

    public static AttentionSizes read(ModelConfig config, Keys keys) {
        ConfigDim v = required(config, keys.vocabKeys());
        ConfigDim d = required(config, keys.dModelKeys());
        ConfigDim l = required(config, keys.layerKeys());
        ConfigDim h = required(config, keys.headKeys());
        ConfigDim kv = optional(config, keys.kvHeadKeys());
        if (kv == null) {
            kv = h;
        }
        if (kv.value() > h.value() || h.value() % kv.value() != 0) {
            throw new ModelInputException(config.file() + ": " + h.expression() + "=" + h.value()
                    + " query heads cannot be shared evenly among " + kv.expression() + "=" + kv.value()
                    + " key/value heads (grouped-query attention needs the number of query heads to be a multiple"
                    + " of the number of key/value heads); fix config.json to match the weights.");
        }
        ConfigDim dh = optional(config, keys.headDimKeys());
        if (dh == null) {
            if (d.value() % h.value() != 0) {
                throw new ModelInputException(config.file() + ": " + d.expression() + "=" + d.value()
                        + " is not divisible by " + h.expression() + "=" + h.value()
                        + ", so the head size cannot be derived; fix config.json"
                        + (keys.headDimKeys().isEmpty() ? "." : " or give \"" + keys.headDimKeys().get(0) + "\" explicitly."));
            }
            dh = ConfigDim.derived("head_dim", d.value() / h.value(), d.expression() + "/" + h.expression());
        }
        return new AttentionSizes(v, d, l, h, kv, dh);
    }

    /** H*dh, the width of all query heads together (d unless head_dim is given explicitly). */
    public ConfigDim queryWidth() {
        return heads.times(dHead);
    }

    /** KV*dh, the width of all key (or value) heads together. */
    public ConfigDim kvWidth() {
        return kvHeads.times(dHead);
    }

    private static ConfigDim required(ModelConfig config, List<String> keys) {
        int value = config.positiveInt(keys.toArray(String[]::new));
        return ConfigDim.key(firstPresent(config, keys), value);
    }

    private static ConfigDim optional(ModelConfig config, List<String> keys) {
        String key = firstPresent(config, keys);
        return key == null ? null : ConfigDim.key(key, config.positiveInt(key));
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

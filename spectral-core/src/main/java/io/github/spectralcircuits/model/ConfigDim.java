package io.github.spectralcircuits.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A size taken from config.json together with where it came from, so that a shape mismatch can say
 * not only "expected [512, 64]" but which config keys imply it ("[vocab_size, hidden_size] with
 * vocab_size=512, hidden_size=64").
 *
 * @param value      the size
 * @param expression how it is written in terms of config keys, e.g. {@code num_attention_heads*head_dim}
 * @param bindings   the leaf values used, e.g. {@code head_dim=8 (hidden_size/num_attention_heads)}
 */
public record ConfigDim(long value, String expression, List<String> bindings) {
    public ConfigDim {
        bindings = List.copyOf(bindings);
    }

    /** A size read directly from a config key. */
    public static ConfigDim key(String key, long value) {
        return new ConfigDim(value, key, List.of(key + "=" + value));
    }

    /** A size the config does not state but that follows from other keys (e.g. head_dim = d / H). */
    public static ConfigDim derived(String name, long value, String how) {
        return new ConfigDim(value, name, List.of(name + "=" + value + " (" + how + ")"));
    }

    /** A size fixed by the layout itself, not by the config (e.g. the 3 of a fused Q|K|V). */
    public static ConfigDim constant(long value) {
        return new ConfigDim(value, Long.toString(value), List.of());
    }

    public ConfigDim times(ConfigDim other) {
        return new ConfigDim(Math.multiplyExact(value, other.value), expression + "*" + other.expression, merged(other));
    }

    public ConfigDim plus(ConfigDim other) {
        return new ConfigDim(Math.addExact(value, other.value), expression + "+" + other.expression, merged(other));
    }

    private List<String> merged(ConfigDim other) {
        List<String> b = new ArrayList<>(bindings);
        for (String s : other.bindings) {
            if (!b.contains(s)) {
                b.add(s);
            }
        }
        return b;
    }

    public ConfigDim times(long factor) {
        return new ConfigDim(Math.multiplyExact(value, factor), factor + "*" + expression, bindings);
    }

    /** The value as an int, for array sizes; sizes beyond int range cannot be held as one matrix anyway. */
    public int intValue() {
        return Math.toIntExact(value);
    }
}

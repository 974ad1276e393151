package io.github.spectralcircuits.model.control;

/**
 * Derives independent 64-bit seeds from (seed, id, index) tuples with SplitMix64's finaliser
 * (Steele, Lea and Flood 2014; Stafford's "Mix13" constants). Every random stream of the control
 * model is keyed this way, so a value depends only on where it sits, never on which thread or which
 * panel of rows asked for it.
 */
public final class SeedMixer {
    /** 2^64 / golden ratio, SplitMix64's increment; also keeps mix64 away from its fixed point at 0. */
    static final long GAMMA = 0x9E3779B97F4A7C15L;

    private SeedMixer() {
    }

    /** SplitMix64's output function: a bijection on 64-bit values with full avalanche. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Folds one more key into a running seed; order matters, so (a, b) and (b, a) give different seeds. */
    public static long combine(long seed, long key) {
        return mix64(mix64(seed + GAMMA) ^ mix64(key + 2 * GAMMA));
    }

    public static long combine(long seed, long key1, long key2) {
        return combine(combine(seed, key1), key2);
    }
}

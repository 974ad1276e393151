package io.github.spectralcircuits;

import java.util.Locale;
import java.util.Set;

/**
 * The knobs of the token readouts and composition scores (issue 18), serialised inside the report's
 * "settings" as "readouts".
 *
 * @param tokenReadouts      "on", "off" or "auto": token readouts (top copying tokens, singular directions)
 *                           need per layer one product of the whole vocabulary with about twice d_model
 *                           columns, several times the work of the spectra themselves on a 50k vocabulary;
 *                           "auto" computes them when that work is at most {@link #AUTO_BUDGET} multiply-adds
 * @param topTokens          k of topCopyingTokens and of each singular direction's token lists
 * @param singularDirections how many of the largest singular values get token directions
 * @param composition        compute Q/K/V composition scores between heads of different layers
 * @param compositionTop     how many of the highest-scoring pairs the report lists (the charts show all)
 */
public record ReadoutSettings(String tokenReadouts, int topTokens, int singularDirections, boolean composition,
                              int compositionTop) {

    /** Multiply-adds the "auto" token readouts may cost: about a tenth of a second on two cores. */
    public static final long AUTO_BUDGET = 4_000_000_000L;

    private static final Set<String> MODES = Set.of("on", "off", "auto");

    public ReadoutSettings {
        tokenReadouts = tokenReadouts == null ? "auto" : tokenReadouts.trim().toLowerCase(Locale.ROOT);
        if (tokenReadouts.equals("true")) {
            tokenReadouts = "on";
        } else if (tokenReadouts.equals("false")) {
            tokenReadouts = "off";
        }
        if (!MODES.contains(tokenReadouts)) {
            throw new SpectralException(ParameterNames.ref("tokenReadouts") + " is \"" + tokenReadouts + "\"; it must be on, off or auto "
                    + "(auto: only when they are cheap, i.e. small vocabularies).");
        }
        if (topTokens < 0 || singularDirections < 0 || compositionTop < 0) {
            throw new SpectralException(ParameterNames.ref("topTokens") + " (" + topTokens + "), "
                    + ParameterNames.ref("singularDirections") + " (" + singularDirections + ") and "
                    + ParameterNames.ref("compositionTop") + " (" + compositionTop
                    + ") must be whole numbers of at least 0.");
        }
    }

    public static ReadoutSettings defaults() {
        return new ReadoutSettings("auto", 10, 3, true, 100);
    }

    /** Whether token readouts are computed for a model whose readouts cost that many multiply-adds. */
    public boolean tokenReadoutsFor(long multiplyAdds) {
        return switch (tokenReadouts) {
            case "on" -> true;
            case "off" -> false;
            default -> multiplyAdds <= AUTO_BUDGET;
        } && (topTokens > 0);
    }
}

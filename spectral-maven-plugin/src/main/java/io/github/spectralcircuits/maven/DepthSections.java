package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.composition.CompositionMode;
import io.github.spectralcircuits.composition.CompositionScore;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.SingularDirection;
import io.github.spectralcircuits.spectra.TokenScore;
import io.github.spectralcircuits.spectra.TokenWeight;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What heads do in tokens and how they compose: the token readouts table (top copying tokens, the first
 * singular direction of each circuit) and the top composition scores per mode; each section only when the
 * report has that part.
 */
final class DepthSections {
    /** Composition rows per mode on the page; the report file keeps compositionTop of them. */
    static final int MAX_COMPOSITION_ROWS = 20;
    /** Tokens shown per cell; the report keeps topTokens. */
    static final int TOKENS_PER_CELL = 6;

    private DepthSections() {
    }

    static void render(SpectralReportPage page, SpectralReport report) {
        tokenReadouts(page, report);
        composition(page, report);
    }

    private static void tokenReadouts(SpectralReportPage page, SpectralReport report) {
        if (report.trained() == null || report.trained().heads().stream()
                .noneMatch(h -> h.ov().topCopyingTokens() != null || h.ov().singularDirections() != null)) {
            return;
        }
        page.section("Token readouts", "token-readouts");
        page.para("Top copying tokens: the largest diagonal entries of the OV circuit (attending to token t raises "
                + "t's own logit by that much). First singular direction: the tokens with the largest components of "
                + "the top singular vectors (σ₁) — input side (query token for QK, attended token for OV) → output "
                + "side (key token for QK, raised or lowered logit for OV), with signed weights. ␣ is a space, ↵ a "
                + "newline; #id is a token without a tokenizer.json string. The report lists "
                + "settings.readouts.topTokens tokens and singularDirections directions per circuit.");
        page.table("head", "top copying tokens (OV diagonal)", "OV σ₁: attended tokens → logits",
                "QK σ₁: query tokens → key tokens");
        for (HeadSpectra h : report.trained().heads()) {
            page.row("L" + h.layer() + "H" + h.head(), scores(h.ov().topCopyingTokens()), direction(h.ov()),
                    direction(h.qk()));
        }
        page.tableEnd();
        page.sectionEnd();
    }

    private static void composition(SpectralReportPage page, SpectralReport report) {
        List<CompositionScore> scores = report.compositionScores();
        if (scores == null || scores.isEmpty()) {
            return;
        }
        boolean withControl = scores.stream().anyMatch(s -> s.z() != null);
        page.section("Composition between heads", "composition");
        page.para("TransformerLens's composition score of an earlier head's W_OV = W_V W_O with a later head's "
                + "W_QK = W_Q W_Kᵀ (Q: the earlier head's output feeds the later one's queries), W_QKᵀ (K: its keys) "
                + "or W_OV (V: its values): |A·B|_F / (|A|_F |B|_F), on norm-folded weights. "
                + (withControl ? "z and the control quantile set each score against the random control's scores "
                        + "of the same mode and layer pair (all H × H of its pairs). " : "")
                + "The heat map above shows every pair; here the top " + MAX_COMPOSITION_ROWS + " of each mode.");
        if (withControl) {
            page.table("mode", "from", "to", "score", "z (control)", "control quantile");
        } else {
            page.table("mode", "from", "to", "score");
        }
        for (CompositionMode mode : CompositionMode.values()) {
            scores.stream().filter(s -> s.mode() == mode).limit(MAX_COMPOSITION_ROWS).forEach(s -> {
                String from = "L" + s.fromLayer() + "H" + s.fromHead();
                String to = "L" + s.toLayer() + "H" + s.toHead();
                if (withControl) {
                    page.row(mode.name(), from, to, Numbers.format(s.score()),
                            s.z() == null ? "" : String.format(Locale.ROOT, "%+.2f", s.z()),
                            s.controlQuantile() == null ? "" : Numbers.percent(s.controlQuantile()));
                } else {
                    page.row(mode.name(), from, to, Numbers.format(s.score()));
                }
            });
        }
        page.tableEnd();
        page.sectionEnd();
    }

    static String scores(List<TokenScore> tokens) {
        if (tokens == null) {
            return "";
        }
        return tokens.stream().limit(TOKENS_PER_CELL)
                .map(t -> name(t.id(), t.token()) + " " + Numbers.format(t.score()))
                .collect(Collectors.joining(", "));
    }

    static String direction(CircuitSpectrum c) {
        if (c.singularDirections() == null || c.singularDirections().isEmpty()) {
            return "";
        }
        SingularDirection d = c.singularDirections().get(0);
        return "σ₁ " + Numbers.format(d.sigma()) + ": " + weights(d.inputTokens()) + " → " + weights(d.outputTokens());
    }

    private static String weights(List<TokenWeight> tokens) {
        return tokens.stream().limit(TOKENS_PER_CELL)
                .map(t -> name(t.id(), t.token()) + String.format(Locale.ROOT, " %+.2f", t.weight()))
                .collect(Collectors.joining(", "));
    }

    private static String name(int id, String token) {
        return token == null ? "#" + id : token;
    }
}

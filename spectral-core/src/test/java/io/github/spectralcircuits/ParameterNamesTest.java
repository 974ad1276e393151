package io.github.spectralcircuits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ParameterNamesTest {
    private static final ParameterNames.Style DASHES = (p, v) -> "--" + ParameterNames.kebab(p) + (v == null ? "" : "=" + v);

    @Test
    void referencesAreRenderedInTheFrontEndsNamesAndTheRestIsLeftAlone() {
        String raw = "switch it off (" + ParameterNames.ref("control", false) + ") or raise "
                + ParameterNames.ref("nearZeroTolerance") + "; JSON {\"a\": {}} and $1 \\ stay";
        assertEquals("switch it off (--control=false) or raise --near-zero-tolerance; JSON {\"a\": {}} and $1 \\ stay",
                ParameterNames.render(raw, DASHES));
        assertEquals("switch it off (control=false) or raise nearZeroTolerance; JSON {\"a\": {}} and $1 \\ stay",
                new SpectralException(raw).getMessage());
        assertEquals(raw, new SpectralException(raw).rawMessage());
    }

    @Test
    void kebabCaseOfTheSettingsNames() {
        assertEquals("fold-norms", ParameterNames.kebab("foldNorms"));
        assertEquals("z-threshold", ParameterNames.kebab("zThreshold"));
        assertEquals("layers", ParameterNames.kebab("layers"));
    }
}

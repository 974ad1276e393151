package io.github.spectralcircuits.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.launch.ForkProtocol.Kind;
import org.junit.jupiter.api.Test;

class ForkProtocolTest {
    @Test
    void progressLinesAreNotOutcomes() {
        assertTrue(ForkProtocol.parse("Layer 0 (1/4): QK and OV spectra of 16 heads").isEmpty());
        assertTrue(ForkProtocol.parse("").isEmpty());
        assertTrue(ForkProtocol.parse(ForkProtocol.PREFIX + "no-such-kind x").isEmpty());
    }

    @Test
    void aMultiLineMessageTravelsAsOneLineAndComesBackExactly() {
        String message = "C:\\models\\m\\config.json is not JSON:\n  line 1\r\nfix it \\n (literally)";
        String line = ForkProtocol.failed(message);
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        var outcome = ForkProtocol.parse(line).orElseThrow();
        assertEquals(Kind.FAILED, outcome.kind());
        assertEquals(message, outcome.text());
    }

    @Test
    void eachKindIsRecognised() {
        assertEquals(Kind.DONE, ForkProtocol.parse(ForkProtocol.done("/o/spectral-report.json")).orElseThrow().kind());
        assertEquals("/o/spectral-report.json",
                ForkProtocol.parse(ForkProtocol.done("/o/spectral-report.json")).orElseThrow().text());
        assertEquals(Kind.OUT_OF_MEMORY, ForkProtocol.parse(ForkProtocol.outOfMemory("Java heap space")).orElseThrow().kind());
        var unexpected = ForkProtocol.parse(ForkProtocol.unexpected(new IllegalStateException("no spectra"))).orElseThrow();
        assertEquals(Kind.UNEXPECTED, unexpected.kind());
        assertEquals("IllegalStateException: no spectra", unexpected.text());
        assertEquals("NullPointerException",
                ForkProtocol.parse(ForkProtocol.unexpected(new NullPointerException())).orElseThrow().text());
    }
}

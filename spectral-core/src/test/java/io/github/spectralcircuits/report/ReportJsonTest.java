package io.github.spectralcircuits.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.Eigenvalues;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON contract of SPEC section 6: field names, eigenvalue order, atomic writes, reading back. */
class ReportJsonTest {
    private static final ObjectMapper STRICT = new ObjectMapper(); // rejects NaN/Infinity tokens

    @TempDir
    Path dir;

    private static SpectralReport report() {
        return SpectralAnalysis.analyze(RandomTransformers.random(9, 24, 8, 2, 4, 2, 4, false),
                AnalysisSettings.defaults(), ProgressListener.NONE);
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    @Test
    void fieldNamesAreThoseOfTheSpec() throws IOException {
        Path file = ReportWriter.write(report(), dir.resolve("out"));
        assertEquals(dir.resolve("out").resolve("spectral-report.json"), file);
        JsonNode root = STRICT.readTree(file.toFile());
        assertEquals(1, root.get("schemaVersion").asInt());
        assertTrue(fields(root).containsAll(Set.of("schemaVersion", "model", "settings", "trained")), fields(root).toString());
        assertTrue(fields(root).containsAll(Set.of("control", "comparison", "thinkingHeads")),
                "present with the control on (the default): " + fields(root));
        assertFalse(root.has("baselineDrift"), "absent without a baseline");
        assertTrue(root.has("compositionScores") && !root.has("compositionMatrices"),
                "composition scores listed, their full matrices kept for the charts only: " + fields(root));
        assertTrue(fields(root.get("model")).containsAll(Set.of("path", "architecture", "vocabSize", "dModel", "nLayers",
                "nHeads", "nKvHeads", "dHead", "tiedEmbeddings", "dtype")), fields(root.get("model")).toString());
        assertTrue(fields(root.get("settings")).containsAll(Set.of("foldNorms", "nearZeroTolerance", "rankTolerance",
                "controlSeed")), fields(root.get("settings")).toString());
        JsonNode heads = root.get("trained").get("heads");
        assertEquals(8, heads.size());
        JsonNode head = heads.get(5);
        assertEquals(Set.of("layer", "head", "kvHead", "qk", "ov"), fields(head));
        assertEquals(1, head.get("layer").asInt());
        assertEquals(1, head.get("head").asInt());
        assertEquals(0, head.get("kvHead").asInt());
        for (String c : List.of("qk", "ov")) {
            JsonNode circuit = head.get(c);
            // the spec's fields, and the token readouts that "auto" computes for this small vocabulary
            Set<String> expected = new TreeSet<>(Set.of("dimension", "rankBound", "eigenvalues", "singularValues",
                    "stats", "singularDirections"));
            if (c.equals("ov")) {
                expected.add("topCopyingTokens");
            }
            assertEquals(expected, fields(circuit));
            assertEquals(24, circuit.get("dimension").asInt());
            assertEquals(4, circuit.get("rankBound").asInt());
            assertEquals(Set.of("re", "im"), fields(circuit.get("eigenvalues")));
            assertEquals(4, circuit.get("eigenvalues").get("re").size());
            assertEquals(4, circuit.get("eigenvalues").get("im").size());
            assertEquals(4, circuit.get("singularValues").size());
            assertEquals(Set.of("trace", "mean", "std", "median", "nearZeroRatio", "numericalRank", "effectiveRank",
                    "stableRank", "spectralNorm", "frobeniusNorm", "positivity"), fields(circuit.get("stats")));
        }
    }

    @Test
    void eigenvaluesAreWrittenInTheSpecsOrder() throws IOException {
        JsonNode root = STRICT.readTree(ReportWriter.write(report(), dir).toFile());
        int complexPairs = 0;
        for (JsonNode head : root.get("trained").get("heads")) {
            for (String c : List.of("qk", "ov")) {
                JsonNode re = head.get(c).get("eigenvalues").get("re");
                JsonNode im = head.get(c).get("eigenvalues").get("im");
                for (int i = 0; i + 1 < re.size(); i++) {
                    double m0 = Math.hypot(re.get(i).asDouble(), im.get(i).asDouble());
                    double m1 = Math.hypot(re.get(i + 1).asDouble(), im.get(i + 1).asDouble());
                    double tie = 1e-9 * Math.hypot(re.get(0).asDouble(), im.get(0).asDouble());
                    assertTrue(m0 >= m1 - tie, "descending modulus");
                    if (Math.abs(m0 - m1) <= tie && Math.abs(re.get(i).asDouble() - re.get(i + 1).asDouble()) <= tie
                            && im.get(i).asDouble() != 0) {
                        assertTrue(im.get(i).asDouble() > im.get(i + 1).asDouble(), "+i before -i");
                        complexPairs++;
                    }
                }
            }
        }
        assertTrue(complexPairs > 0, "random circuits have complex eigenvalues, so the order was exercised");
    }

    @Test
    void readingBackGivesTheSameReport() {
        SpectralReport r = report();
        ReportWriter.write(r, dir);
        SpectralReport back = ReportReader.read(dir);
        assertEquals(ReportWriter.toJson(r), ReportWriter.toJson(back));
        assertEquals(r.trained().heads().get(3).qk().stats(), back.trained().heads().get(3).qk().stats());
        assertEquals(r.settings(), back.settings());
        assertEquals(r.model(), back.model());
    }

    @Test
    void nonFiniteNumbersAreWrittenAsValidJson() throws IOException {
        CircuitStats nan = new CircuitStats(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0, 0, 0, 0, 0, 0, 0);
        CircuitSpectrum c = new CircuitSpectrum(3, 1, new Eigenvalues(new double[] {Double.NaN}, new double[] {0}),
                new double[] {1}, nan);
        SpectralReport r = new SpectralReport(1, report().model(), AnalysisSettings.defaults(),
                new ModelSpectra(List.of(new HeadSpectra(0, 0, 0, c, c))), null, null, null, null, null);
        Path file = ReportWriter.write(r, dir);
        JsonNode stats = STRICT.readTree(file.toFile()).get("trained").get("heads").get(0).get("qk").get("stats");
        assertEquals("NaN", stats.get("trace").asText());
        SpectralReport back = ReportReader.read(file);
        assertTrue(Double.isNaN(back.trained().heads().get(0).qk().stats().trace()));
        assertEquals(Double.POSITIVE_INFINITY, back.trained().heads().get(0).qk().stats().mean());
        assertEquals(Double.NEGATIVE_INFINITY, back.trained().heads().get(0).qk().stats().std());
    }

    @Test
    void aFailedWriteLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("spectral-report.json");
        Files.writeString(target, "previous");
        assertThrows(SpectralException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half of a new rep".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("previous", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
        ReportWriter.write(report(), dir);
        assertTrue(Files.readString(target).startsWith("{"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file was renamed, not left behind");
        }
    }

    @Test
    void readerErrorsNameTheFileAndSayWhatToDo() throws IOException {
        SpectralException missing = assertThrows(SpectralException.class, () -> ReportReader.read(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().contains("nope.json") && missing.getMessage().contains("analyze"), missing.getMessage());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"schemaVersion\": 1, \"trained\": {\"heads\": [");
        SpectralException invalid = assertThrows(SpectralException.class, () -> ReportReader.read(broken));
        assertTrue(invalid.getMessage().contains("broken.json") && invalid.getMessage().contains("not a valid spectral report"),
                invalid.getMessage());

        Path future = dir.resolve("future.json");
        Files.writeString(future, "{\"schemaVersion\": 2}");
        SpectralException version = assertThrows(SpectralException.class, () -> ReportReader.read(future));
        assertTrue(version.getMessage().contains("schemaVersion 2"), version.getMessage());
    }

    @Test
    void layerAndHeadFiltersAreWrittenSortedSoEqualSettingsGiveEqualReports() throws IOException {
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings s = new AnalysisSettings(d.foldNorms(), d.nearZeroTolerance(), d.rankTolerance(), d.control(),
                d.controlSeed(), d.highRankFraction(), d.zThreshold(), Set.of(9, 3, 27, 1, 14, 5), Set.of(11, 2, 7), false, 1e-6);
        SpectralReport r = new SpectralReport(1, report().model(), s, new ModelSpectra(List.of()), null, null, null, null, null);
        JsonNode settings = STRICT.readTree(ReportWriter.toJson(r)).get("settings");
        assertEquals("[1,3,5,9,14,27]", settings.get("layers").toString());
        assertEquals("[2,7,11]", settings.get("heads").toString());
        assertEquals(s, ReportReader.read(ReportWriter.write(r, dir)).settings());
    }
}

package io.github.spectralcircuits.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.report.ReportWriter;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.testing.SyntheticReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planted sweep: one synthetic stories260k-shaped report, and copies whose head L1H3 has its OV circuit
 * scaled by 1.5, 2 and 3, written where checkpoint modules keep their reports.
 */
class AggregationTest {
    static final String[] NAMES = {"scale-1.0", "scale-1.5", "scale-2.0", "scale-3.0"};
    static final double[] FACTORS = {1, 1.5, 2, 3};

    @TempDir
    Path dir;

    private final SpectralReport base = SyntheticReports.stories260kLike(7, true);

    /** The four reports as modules' target/spectral/spectral-report.json, in reactor order. */
    private List<CheckpointSource> modules(SpectralReport report) {
        List<CheckpointSource> sources = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            Path out = dir.resolve(NAMES[i]).resolve("target").resolve("spectral");
            Path file = ReportWriter.write(SyntheticReports.withOvScaled(report, 1, 3, FACTORS[i]), out);
            sources.add(CheckpointSource.module(NAMES[i], file, "it:" + NAMES[i] + ":1.0", "spectral:analyze"));
        }
        return sources;
    }

    @Test
    void keepsTheOrderGivenAndFindsThePlantedHeadAsTheOneThatChangesMost() {
        SpectralAggregate a = Aggregation.aggregate(modules(base), 5);

        assertEquals(List.of(NAMES), a.names());
        assertEquals(40, a.checkpoints().get(2).heads().size());
        assertEquals(base.thinkingHeads(), a.checkpoints().get(0).thinkingHeads());
        // every other head is the same at every checkpoint: only the planted one changes
        assertEquals(1, a.mostChanged().size());
        HeadChange top = a.mostChanged().get(0);
        assertEquals(List.of(1, 1, 3, CircuitType.OV, "spectralNorm"),
                List.of(top.rank(), top.layer(), top.head(), top.circuit(), top.metric()));
        double s = head(base, 1, 3).ov().stats().spectralNorm();
        assertArrayEquals(new double[] {s, 1.5 * s, 2 * s, 3 * s}, top.values(), 1e-12 * s);
        // the change, by hand: range 2s over the mean OV spectral norm of all 40 heads at all four checkpoints
        double sum = 0;
        for (HeadSpectra h : base.trained().heads()) {
            sum += 4 * h.ov().stats().spectralNorm();
        }
        sum += (0.5 + 1 + 2) * s;
        assertEquals(2 * s / (sum / 160), top.change(), 1e-12);
    }

    @Test
    void aFolderOfDownloadedReportsGivesTheSameJson() throws Exception {
        List<CheckpointSource> modules = modules(base);
        Path downloads = dir.resolve("downloads");
        // as download-artifact lays them out, in an order the file system does not keep, one of them nested
        for (int i = NAMES.length - 1; i >= 0; i--) {
            Path to = i == 2 ? downloads.resolve(NAMES[i]).resolve("target/spectral") : downloads.resolve(NAMES[i]);
            Files.createDirectories(to);
            Files.copy(modules.get(i).report(), to.resolve(ReportWriter.FILE_NAME));
        }
        List<CheckpointSource> folder = ReportsFolder.sources(downloads, List.of());
        assertEquals(List.of(NAMES), folder.stream().map(CheckpointSource::name).toList());

        String fromModules = AggregateJson.toJson(Aggregation.aggregate(modules, 5));
        String fromFolder = AggregateJson.toJson(Aggregation.aggregate(folder, 5));
        assertEquals(fromModules, fromFolder);
    }

    @Test
    void theJsonHasTheIssuesSchemaAndReadsBack() throws Exception {
        SpectralAggregate a = Aggregation.aggregate(modules(base), 5);
        Path file = AggregateJson.write(a, dir.resolve("out"));
        assertEquals("spectral-aggregate.json", file.getFileName().toString());
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals(1, root.get("schemaVersion").asInt());
        JsonNode c = root.get("checkpoints").get(1);
        assertEquals(List.of("name", "model", "fingerprint", "settings", "heads", "thinkingHeads"), fields(c));
        assertEquals("scale-1.5", c.get("name").asText());
        assertEquals("LlamaForCausalLM", c.get("model").get("architecture").asText());
        assertTrue(c.get("fingerprint").isNull());
        JsonNode h = c.get("heads").get(1 * 8 + 3);
        assertEquals(List.of(1, 3), List.of(h.get("layer").asInt(), h.get("head").asInt()));
        assertEquals(1.5 * head(base, 1, 3).ov().stats().spectralNorm(), h.get("ov").get("stats").get("spectralNorm").asDouble(), 1e-9);
        assertEquals(head(base, 1, 3).qk().stats().effectiveRank(), h.get("qk").get("stats").get("effectiveRank").asDouble(), 0);
        assertEquals(AggregateJson.toJson(a), AggregateJson.toJson(AggregateJson.read(file)));
    }

    @Test
    void carriesTheReportsFingerprintAndToleratesPartialOnes() throws Exception {
        List<CheckpointSource> sources = modules(base);
        WeightsFingerprint f = new WeightsFingerprint(WeightsFingerprint.ALGORITHM, "9f2c" + "0".repeat(60), 18, 1044480L);
        ReportWriter.write(SyntheticReports.withOvScaled(base, 1, 3, 1).withFingerprint(f), sources.get(0).report().getParent());
        ObjectMapper json = new ObjectMapper();
        addFingerprint(json, sources.get(1).report(), "{\"value\":\"77aa\"}");
        SpectralAggregate a = Aggregation.aggregate(sources, 5);

        assertEquals(f, a.checkpoints().get(0).fingerprint());
        assertEquals(new WeightsFingerprint(null, "77aa", 0, 0), a.checkpoints().get(1).fingerprint());
        assertNull(a.checkpoints().get(2).fingerprint());
        JsonNode written = json.readTree(AggregateJson.toJson(a));
        assertEquals(f.value(), written.get("checkpoints").get(0).get("fingerprint").get("value").asText());
        assertEquals(18, written.get("checkpoints").get(0).get("fingerprint").get("tensors").asInt());
        assertTrue(written.get("checkpoints").get(2).get("fingerprint").isNull());
    }

    @Test
    void aMissingReportIsAnErrorNamingTheModule() {
        List<CheckpointSource> sources = new ArrayList<>(modules(base));
        Path gone = dir.resolve("scale-2.5/target/spectral/spectral-report.json");
        sources.add(3, CheckpointSource.module("scale-2.5", gone, "it:scale-2.5:1.0", "spectral:analyze"));
        SpectralException e = assertThrows(SpectralException.class, () -> Aggregation.aggregate(sources, 5));
        assertTrue(e.getMessage().startsWith("No spectral report for the checkpoint module 'scale-2.5' (it:scale-2.5:1.0): "
                + gone + " does not exist."), e.getMessage());
        assertTrue(e.getMessage().contains("spectral:analyze"), e.getMessage());
    }

    /** The synthetic report, as if made of the model in {@code model}, with that model's fingerprint when given. */
    private SpectralReport madeOf(Path model, WeightsFingerprint fingerprint) {
        ModelInfo m = base.model();
        return new SpectralReport(1, new ModelInfo(model.toString(), m.architecture(), m.vocabSize(), m.dModel(),
                m.nLayers(), m.nHeads(), m.nKvHeads(), m.dHead(), m.tiedEmbeddings(), m.dtype(), m.initializerRange()),
                base.settings(), fingerprint, base.trained(), null, null, null, null, null);
    }

    @Test
    void aReportWithoutFingerprintOlderThanItsModelIsStale() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Path weights = Files.write(model.resolve("model.safetensors"), new byte[] {1});
        Files.write(model.resolve("README.md"), new byte[] {1});
        List<CheckpointSource> sources = modules(madeOf(model, null));
        FileTime written = Files.getLastModifiedTime(sources.get(1).report());
        // a README edited later does not make a report stale; the weights do
        Files.setLastModifiedTime(model.resolve("README.md"), FileTime.fromMillis(written.toMillis() + 60_000));
        Files.setLastModifiedTime(weights, FileTime.fromMillis(written.toMillis() - 60_000));
        for (CheckpointSource s : sources) {
            Files.setLastModifiedTime(s.report(), written);
        }
        assertEquals(4, Aggregation.aggregate(sources, 5).checkpoints().size());

        Files.setLastModifiedTime(sources.get(1).report(), FileTime.fromMillis(written.toMillis() - 120_000));
        SpectralException e = assertThrows(SpectralException.class, () -> Aggregation.aggregate(sources, 5));
        assertTrue(e.getMessage().contains("of the checkpoint module 'scale-1.5' (it:scale-1.5:1.0) is stale: "
                + weights + " changed after the report was written, and the report records no fingerprint"), e.getMessage());
    }

    @Test
    void withAFingerprintTheWeightsDecideNotTheFileTimes() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(Path.of("../examples/stories260k").resolve(f), model.resolve(f));
        }
        WeightsFingerprint now;
        try (var m = io.github.spectralcircuits.model.ModelLoader.open(model)) {
            now = m.fingerprint();
        }
        CheckpointSource source = CheckpointSource.module("ckpt", ReportWriter.write(madeOf(model, now),
                dir.resolve("ckpt/target/spectral")), "it:ckpt:1.0", null);
        FileTime written = Files.getLastModifiedTime(source.report());
        Path weights = model.resolve("model.safetensors");
        // rewritten later with the same bytes (a rebuilt checkpoint): still current
        Files.setLastModifiedTime(weights, FileTime.fromMillis(written.toMillis() + 60_000));
        assertEquals(now, Aggregation.aggregate(List.of(source), 5).checkpoints().get(0).fingerprint());

        // one attention weight changed: stale, and the message says the fingerprint moved
        byte[] bytes = Files.readAllBytes(weights);
        long header = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        int oProjOfLayer0 = (int) (8 + header + 164096);
        bytes[oProjOfLayer0] ^= 1;
        Files.write(weights, bytes);
        Files.setLastModifiedTime(weights, FileTime.fromMillis(written.toMillis() + 60_000));
        SpectralException e = assertThrows(SpectralException.class, () -> Aggregation.aggregate(List.of(source), 5));
        assertTrue(e.getMessage().contains("is stale: " + weights + " changed after the report was written: the "
                + "weights' fingerprint was " + now.describe() + ", it is now "), e.getMessage());
    }

    @Test
    void checkpointsAnalysedWithSettingsThatChangeTheStatisticsAreRefused() {
        List<CheckpointSource> sources = modules(base);
        SpectralReport raw = new SpectralReport(1, base.model(), AnalysisSettings.defaults().withFoldNorms(false),
                base.trained(), null, null, null, null, null);
        ReportWriter.write(raw, sources.get(2).report().getParent());
        SpectralException e = assertThrows(SpectralException.class, () -> Aggregation.aggregate(sources, 5));
        assertTrue(e.getMessage().startsWith("The checkpoints 'scale-1.0' and 'scale-2.0' were analysed with different "
                + "foldNorms (true and false)"), e.getMessage());

        // the control's settings do not touch the trained statistics: a checkpoint without control aggregates
        ReportWriter.write(new SpectralReport(1, base.model(), AnalysisSettings.defaults().withControl(false),
                base.trained(), null, null, null, null, null), sources.get(2).report().getParent());
        SpectralAggregate a = Aggregation.aggregate(sources, 5);
        assertNull(a.checkpoints().get(2).thinkingHeads());
    }

    @Test
    void headsMissingAtSomeCheckpointsLeaveGaps() {
        List<CheckpointSource> sources = modules(base);
        List<HeadSpectra> layer0 = base.trained().heads().stream().filter(h -> h.layer() == 0).toList();
        ReportWriter.write(new SpectralReport(1, base.model(), null, new ModelSpectra(layer0), null, null, null, null,
                null), sources.get(1).report().getParent());
        SpectralAggregate a = Aggregation.aggregate(sources, 5);
        Trajectories t = Trajectories.of(a.checkpoints());
        double[] v = t.values(new Trajectories.Head(4, 7), CircuitType.QK, "spectralNorm");
        assertTrue(Double.isNaN(v[1]) && Double.isFinite(v[0]) && Double.isFinite(v[2]));
        assertEquals(0, Trajectories.change(new double[] {Double.NaN, 3, Double.NaN}, 1));
        assertEquals(2, Trajectories.change(new double[] {1, Double.NaN, 5}, 2));
    }

    @Test
    void duplicateNamesAndBadFoldersAreRefused() throws Exception {
        List<CheckpointSource> sources = new ArrayList<>(modules(base));
        sources.add(CheckpointSource.module("scale-1.5", sources.get(0).report(), "other:scale-1.5:2.0", null));
        SpectralException dup = assertThrows(SpectralException.class, () -> Aggregation.aggregate(sources, 5));
        assertTrue(dup.getMessage().startsWith("Two checkpoints are named 'scale-1.5' (it:scale-1.5:1.0 and "
                + "other:scale-1.5:2.0)"), dup.getMessage());

        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Files.createDirectories(downloads.resolve("step-10"));
        Files.createDirectories(downloads.resolve("step-2"));
        Files.createDirectories(downloads.resolve(".cache"));
        Files.copy(sources.get(0).report(), downloads.resolve("step-2").resolve(ReportWriter.FILE_NAME));
        List<CheckpointSource> found = ReportsFolder.sources(downloads, List.of());
        assertEquals(List.of("step-2", "step-10"), found.stream().map(CheckpointSource::name).toList());
        SpectralException empty = assertThrows(SpectralException.class, () -> Aggregation.aggregate(found, 5));
        assertTrue(empty.getMessage().startsWith("No spectral report for the report folder 'step-10' ("
                + downloads.resolve("step-10") + ")"), empty.getMessage());

        assertEquals(List.of("step-2"), ReportsFolder.sources(downloads, List.of("step-2")).stream()
                .map(CheckpointSource::name).toList());
        SpectralException unknown = assertThrows(SpectralException.class,
                () -> ReportsFolder.sources(downloads, List.of("step-3")));
        assertTrue(unknown.getMessage().contains("has no sub-folder of that name; it has [step-2, step-10]"),
                unknown.getMessage());
        SpectralException none = assertThrows(SpectralException.class,
                () -> ReportsFolder.sources(dir.resolve("nowhere"), List.of()));
        assertTrue(none.getMessage().contains("does not exist or is not a directory"), none.getMessage());
    }

    @Test
    void namesSortAsPeopleNumberThem() {
        List<String> names = new ArrayList<>(List.of("step-10000", "scale-2", "step-2000", "scale-1.5", "b10", "scale-1",
                "step-100", "b9", "a", "scale-10.25", "scale-10.3"));
        names.sort(NaturalOrder.INSTANCE);
        assertEquals(List.of("a", "b9", "b10", "scale-1", "scale-1.5", "scale-2", "scale-10.25", "scale-10.3",
                "step-100", "step-2000", "step-10000"), names);
    }

    private static HeadSpectra head(SpectralReport r, int layer, int head) {
        return r.trained().heads().stream().filter(h -> h.layer() == layer && h.head() == head).findFirst().orElseThrow();
    }

    private static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static void addFingerprint(ObjectMapper json, Path report, String fingerprint) throws Exception {
        FileTime t = Files.getLastModifiedTime(report);
        ObjectNode root = (ObjectNode) json.readTree(report.toFile());
        root.set("fingerprint", json.readTree(fingerprint));
        json.writeValue(report.toFile(), root);
        Files.setLastModifiedTime(report, t);
        assertTrue(Set.of("fingerprint").stream().allMatch(root::has));
    }
}

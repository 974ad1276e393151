package io.github.spectralcircuits.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.Limit;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.compare.ChangedHead;
import io.github.spectralcircuits.io.HubCache;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.testing.ModelCopies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference model through the whole job: the report's sections, the rule, the file read back. */
class ReferenceJobTest {
    static final Path STORIES = Path.of("../examples/stories260k").toAbsolutePath().normalize();

    @Test
    void aScaledHeadFailsTheRuleAndTheReportSaysWhich(@TempDir Path dir) throws IOException {
        Path scaled = ModelCopies.withScaledOutputColumns(dir, 3, 5, 1.5);
        Limit limit = new Limit(null, null, null, null);
        limit.setMaximumChangeFromReference(0.1);
        List<Rule> rules = List.of(new Rule("ALL", null, null, List.of(limit)));
        AnalysisSettings noControl = AnalysisSettings.defaults().withControl(false);
        AnalysisRequest request = AnalysisRequest.of(scaled, noControl, null, dir.resolve("out"), rules, false)
                .withReference(STORIES.toString());
        List<String> log = new ArrayList<>();
        AnalysisJob.Result result = AnalysisJob.run(request, SpectralAnalysis::runAgainst, log::add);
        assertFalse(result.checks().passed());
        assertEquals(1, result.checks().violations().size());
        assertTrue(result.checks().violations().get(0).describe().startsWith("layer 3, head 5, OV: changed from the "
                + "reference model by score = 0.5"), result.checks().violations().get(0).describe());
        assertTrue(log.stream().anyMatch(l -> l.contains("1 of 80 circuits changed; most: layer 3 head 5 OV")), log.toString());

        SpectralReport back = ReportReader.read(result.reportFile());
        ChangedHead top = back.changedHeads().get(0);
        assertEquals(List.of(3, 5, CircuitType.OV), List.of(top.layer(), top.head(), top.circuit()));
        assertEquals(0.5, top.score(), 1e-6);
        assertEquals(8, top.leftAnglesDegrees().length);
        assertEquals(STORIES.toString(), back.referenceComparison().reference());
        assertEquals(1, back.referenceComparison().changedCircuits());
        String json = Files.readString(result.reportFile());
        assertTrue(json.contains("\"changedHeads\" : [") && json.contains("\"referenceComparison\" : {"));
    }

    @Test
    void withoutAReferenceTheSectionsAreAbsent(@TempDir Path dir) {
        AnalysisRequest request = AnalysisRequest.of(STORIES, AnalysisSettings.defaults().withControl(false), null,
                dir, null, false);
        SpectralReport r = AnalysisJob.run(request).report();
        assertNull(r.changedHeads());
        assertNull(r.referenceComparison());
    }

    @Test
    void aReferenceThatIsNoDirectoryOrAHubIdMissingFromTheCacheIsAClearError(@TempDir Path dir) {
        HubCache.Environment empty = new HubCache.Environment(Map.of("HF_HUB_CACHE", dir.resolve("cache").toString()),
                dir.resolve("home"));
        SpectralException missing = assertThrows(SpectralException.class,
                () -> ReferenceModels.resolve(dir.resolve("nothing").toString(), dir, empty));
        assertTrue(missing.rawMessage().contains("does not exist or is not a directory")
                && missing.rawMessage().contains("{{reference}}"), missing.rawMessage());
        SpectralException hub = assertThrows(SpectralException.class,
                () -> ReferenceModels.resolve("roneneldan/TinyStories-33M", dir, empty));
        assertTrue(hub.getMessage().contains("roneneldan/TinyStories-33M") && hub.getMessage().contains("HF_HUB_CACHE"),
                hub.getMessage());
        assertThrows(SpectralException.class, () -> ReferenceModels.resolve("EleutherAI/pythia-70m@step1000", dir, empty));
        assertEquals(STORIES, ReferenceModels.resolve(STORIES.toString()));
    }

    /** A hub id is the snapshot of its branch in the local cache, laid out as huggingface_hub lays it out. */
    @Test
    void aHubIdResolvesToItsSnapshotInTheCache(@TempDir Path dir) throws IOException {
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Path repo = dir.resolve("cache").resolve("models--karpathy--stories260k");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(STORIES.resolve(f), snapshot.resolve(f));
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs").resolve("main"), commit);
        HubCache.Environment env = new HubCache.Environment(Map.of("HF_HUB_CACHE", dir.resolve("cache").toString()),
                dir.resolve("home"));
        Path resolved = ReferenceModels.resolve("karpathy/stories260k", dir, env);
        assertEquals(snapshot.toRealPath(), resolved.toRealPath());
        assertEquals(snapshot.toRealPath(), ReferenceModels.resolve("karpathy/stories260k@" + commit, dir, env).toRealPath());
    }

    @Test
    void aRuleOnTheReferenceWithoutOneFailsBeforeTheAnalysis(@TempDir Path dir) {
        Limit limit = new Limit(null, null, null, null);
        limit.setMaximumChangeFromReference(0.1);
        AnalysisRequest request = AnalysisRequest.of(STORIES, AnalysisSettings.defaults(), null, dir,
                List.of(new Rule("ALL", null, null, List.of(limit))), false);
        boolean[] ran = {false};
        assertThrows(SpectralException.class, () -> AnalysisJob.run(request, (m, s, b, p) -> {
            ran[0] = true;
            return null;
        }, null));
        assertFalse(ran[0], "the analysis never started");
    }

    /** A reference of other shapes is refused from the two configs, before the minutes an analysis may take. */
    @Test
    void aReferenceOfAnotherShapeFailsBeforeTheAnalysisAndWritesNothing(@TempDir Path dir) throws IOException {
        Path other = Path.of("src/test/resources/hf/llama/safetensors").toAbsolutePath();
        AnalysisRequest request = AnalysisRequest.of(STORIES, AnalysisSettings.defaults(), null, dir.resolve("out"),
                null, true).withReference(other.toString());
        boolean[] ran = {false};
        SpectralException e = assertThrows(SpectralException.class, () -> AnalysisJob.run(request, (m, s, b, p) -> {
            ran[0] = true;
            return null;
        }, null));
        assertFalse(ran[0], "the analysis never started");
        String msg = e.getMessage();
        assertTrue(msg.contains(other.toString()) && msg.contains("does not have the architecture")
                && msg.contains("dModel 32 in the reference, 64 here") && msg.contains("nLayers 2 in the reference, 5 here"),
                msg);
        assertEquals(1, msg.split("\n").length, "one paragraph");
        assertFalse(Files.exists(dir.resolve("out")), "no partial output");
    }
}

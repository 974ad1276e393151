package io.github.spectralcircuits.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.io.HubCache;
import io.github.spectralcircuits.io.HubCache.Environment;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models as they sit in the Hugging Face cache, built here the way huggingface_hub lays it out
 * (models--org--name/{blobs,refs,snapshots}, snapshot files as relative links into ../../blobs), from
 * checkpoints transformers itself wrote (src/test/resources/hf): a snapshot and a hub id load the same
 * model as the plain directory, single-file and sharded; the hub id is resolved through the environment
 * given; a link out of the repository's folder is refused before anything is read, and no report is left.
 */
class HubCacheLoadingTest {
    private static final Path HF = Path.of("src/test/resources/hf");
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String OTHER_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";

    @TempDir
    Path tmp;

    /** Copies dir's files into cache/models--org--name as blobs named by their SHA-256, linked from snapshots/commit. */
    static Path cache(Path cache, String repository, String commit, Path dir, String... refs) throws IOException {
        Path repo = cache.resolve("models--" + repository.replace("/", "--"));
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(snapshot);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String blob = sha256(f);
                Files.copy(f, repo.resolve("blobs").resolve(blob), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.createSymbolicLink(snapshot.resolve(f.getFileName()), Path.of("../../blobs").resolve(blob));
            }
        }
        for (String ref : refs) {
            Files.createDirectories(repo.resolve("refs").resolve(ref).getParent());
            Files.writeString(repo.resolve("refs").resolve(ref), commit);
        }
        return snapshot;
    }

    static String sha256(Path f) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelSpectra spectra(TransformerModel m) {
        return new SpectraAnalyzer(AnalysisSettings.defaults().withControl(false), ProgressListener.NONE).analyze(m);
    }

    static void assertSameSpectra(ModelSpectra a, ModelSpectra b) {
        assertEquals(a.heads().size(), b.heads().size());
        for (int i = 0; i < a.heads().size(); i++) {
            HeadSpectra x = a.heads().get(i);
            HeadSpectra y = b.heads().get(i);
            assertArrayEquals(x.qk().singularValues(), y.qk().singularValues());
            assertArrayEquals(x.ov().eigenvalues().re(), y.ov().eigenvalues().re());
        }
    }

    static Environment env(Path home, String... keyValues) {
        Map<String, String> vars = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            vars.put(keyValues[i], keyValues[i + 1]);
        }
        return new Environment(vars, home);
    }

    static String failure(Runnable r) {
        ModelInputException e = assertThrows(ModelInputException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), "one paragraph: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aSnapshotOfLinksIntoBlobsLoadsLikeThePlainDirectorySingleAndSharded() throws IOException {
        for (String fixture : List.of("llama/safetensors", "qwen3/sharded", "gpt_neox/bin")) {
            Path plain = HF.resolve(fixture);
            Path snapshot = cache(tmp.resolve(fixture.replace('/', '-')), "org/tiny", COMMIT, plain, "main");
            assertTrue(Files.isSymbolicLink(snapshot.resolve("config.json")));
            try (TransformerModel a = ModelLoader.open(plain); TransformerModel b = ModelLoader.open(snapshot)) {
                assertEquals(snapshot.toString(), b.info().path());
                assertEquals(a.fingerprint().value(), b.fingerprint().value(), fixture);
                assertSameSpectra(spectra(a), spectra(b));
            }
        }
    }

    @Test
    void aHubIdIsTheSnapshotOfItsBranchInTheCacheTheEnvironmentNames() throws IOException {
        Path hubCache = tmp.resolve("hub-cache");
        Path snapshot = cache(hubCache, "org/tiny", COMMIT, HF.resolve("qwen3/sharded"), "main");
        Path elsewhere = tmp.resolve("not-a-cache");
        Files.createDirectories(elsewhere);
        // HF_HUB_CACHE wins over HF_HOME
        Environment e = env(tmp.resolve("home"), "HF_HUB_CACHE", hubCache.toString(), "HF_HOME", elsewhere.toString());
        assertEquals(snapshot, HubCache.locate("org/tiny", tmp, e));
        assertEquals(snapshot, HubCache.locate("org/tiny@main", tmp, e));
        assertEquals(snapshot, HubCache.locate("org/tiny@" + COMMIT, tmp, e));
        try (TransformerModel m = ModelLoader.open("org/tiny", tmp, e)) {
            assertEquals("Qwen3ForCausalLM", m.info().architecture());
            assertEquals(snapshot.toString(), m.info().path());
        }
        // HF_HOME/hub, then ~/.cache/huggingface/hub
        Path home = tmp.resolve("hf-home");
        Path viaHome = cache(home.resolve("hub"), "org/tiny", COMMIT, HF.resolve("llama/safetensors"), "main");
        assertEquals(viaHome, HubCache.locate("org/tiny", tmp, env(tmp, "HF_HOME", home.toString())));
        Path user = tmp.resolve("user");
        Path viaUser = cache(user.resolve(".cache/huggingface/hub"), "org/tiny", COMMIT, HF.resolve("llama/safetensors"), "main");
        assertEquals(viaUser, HubCache.locate("org/tiny", tmp, env(user)));
    }

    @Test
    void aRevisionIsABranchOrTagOfRefsOrACommitAndAnUnknownOneListsWhatThereIs() throws IOException {
        Path hubCache = tmp.resolve("hub");
        Path main = cache(hubCache, "org/tiny", COMMIT, HF.resolve("llama/safetensors"), "main");
        Path v2 = cache(hubCache, "org/tiny", OTHER_COMMIT, HF.resolve("gpt2/safetensors"), "v2");
        Environment e = env(tmp, "HF_HUB_CACHE", hubCache.toString());
        assertEquals(main, HubCache.locate("org/tiny", tmp, e));
        assertEquals(v2, HubCache.locate("org/tiny@v2", tmp, e));
        assertEquals(v2, HubCache.locate("org/tiny@" + OTHER_COMMIT, tmp, e));
        String m = failure(() -> HubCache.locate("org/tiny@v3", tmp, e));
        assertTrue(m.contains("no revision \"v3\"") && m.contains("refs main, v2") && m.contains(COMMIT)
                && m.contains("org/tiny@REVISION") && m.contains("hf download org/tiny --revision v3"), m);
    }

    @Test
    void anIdNotInTheCacheNamesTheFoldersSearchedAndHowToDownloadItAndNothingIsCreated() throws IOException {
        Path hubCache = tmp.resolve("empty-hub");
        Files.createDirectories(hubCache);
        String m = failure(() -> ModelLoader.open("EleutherAI/pythia-70m", tmp, env(tmp, "HF_HUB_CACHE", hubCache.toString())));
        assertTrue(m.contains("EleutherAI/pythia-70m is not in the Hugging Face cache"), m);
        assertTrue(m.contains(hubCache.resolve("models--EleutherAI--pythia-70m").toString()), m);
        assertTrue(m.contains("chosen by HF_HUB_CACHE") && m.contains(tmp.resolve("EleutherAI/pythia-70m").toString()), m);
        assertTrue(m.contains("hf download EleutherAI/pythia-70m") && m.contains("Nothing is downloaded"), m);
        try (Stream<Path> left = Files.list(hubCache)) {
            assertEquals(0, left.count(), "nothing written into the cache");
        }
        String def = failure(() -> HubCache.locate("org/none@v1", tmp, env(tmp.resolve("u"))));
        assertTrue(def.contains(tmp.resolve("u/.cache/huggingface/hub").toString()) && def.contains("--revision v1"), def);
    }

    @Test
    void aLocalDirectoryWinsOverAHubIdAndABareNameIsOnlyAnIdWhenCached() throws IOException {
        Path hubCache = tmp.resolve("hub");
        Path snapshot = cache(hubCache, "tiny", COMMIT, HF.resolve("llama/safetensors"), "main");
        Environment e = env(tmp, "HF_HUB_CACHE", hubCache.toString());
        Path local = tmp.resolve("base/org/tiny");
        Files.createDirectories(local);
        assertEquals(local, HubCache.locate("org/tiny", tmp.resolve("base"), e));
        assertEquals(snapshot, HubCache.locate("tiny", tmp, e), "a legacy id without organisation");
        assertEquals(tmp.resolve("mistyped"), HubCache.locate("mistyped", tmp, e), "left for the loader to report");
        assertEquals(tmp.resolve("a/../b").normalize(), HubCache.locate("a/../b", tmp, e));
        assertTrue(HubCache.parse("org/../x").isEmpty() && HubCache.parse("/abs/x").isEmpty() && HubCache.parse("a/b/c").isEmpty());
    }

    @Test
    void aHostileLinkOutOfTheRepositoryFolderIsRefusedAndNoReportIsLeft() throws IOException {
        Path hubCache = tmp.resolve("hub");
        Path snapshot = cache(hubCache, "org/tiny", COMMIT, HF.resolve("llama/safetensors"), "main");
        Path outside = tmp.resolve("outside.safetensors");
        Files.copy(HF.resolve("llama/safetensors/model.safetensors"), outside);
        Files.delete(snapshot.resolve("model.safetensors"));
        // the same weights, but reached by climbing out of models--org--tiny
        Files.createSymbolicLink(snapshot.resolve("model.safetensors"), Path.of("../../../../outside.safetensors"));
        Environment e = env(tmp, "HF_HUB_CACHE", hubCache.toString());
        String m = failure(() -> ModelLoader.open("org/tiny", tmp, e));
        assertTrue(m.contains(snapshot.resolve("model.safetensors") + " is a symbolic link to " + outside.toRealPath())
                && m.contains("outside its Hugging Face cache folder") && m.contains("refused"), m);

        Path out = tmp.resolve("report");
        AnalysisRequest request = AnalysisRequest.of(snapshot, AnalysisSettings.defaults().withControl(false), null, out,
                null, false);
        assertThrows(ModelInputException.class, () -> AnalysisJob.run(request));
        assertFalse(Files.exists(out.resolve("spectral-report.json")), "no report left");
    }

    @Test
    void aShardOrConfigLinkingIntoAnotherRepositoryIsRefused() throws IOException {
        Path hubCache = tmp.resolve("hub");
        Path other = cache(hubCache, "org/other", COMMIT, HF.resolve("qwen3/sharded"), "main");
        Path snapshot = cache(hubCache, "org/tiny", COMMIT, HF.resolve("qwen3/sharded"), "main");
        String shard = "model-00001-of-00004.safetensors";
        assertTrue(Files.exists(snapshot.resolve(shard)), "the fixture has four shards");
        Files.delete(snapshot.resolve(shard));
        Files.createSymbolicLink(snapshot.resolve(shard), Path.of("../../../models--org--other/snapshots").resolve(COMMIT).resolve(shard));
        String m = failure(() -> ModelLoader.open(snapshot));
        assertTrue(m.contains("lists shard " + shard) && m.contains("outside its Hugging Face cache folder")
                && m.contains(hubCache.resolve("models--org--tiny").toRealPath().toString()), m);

        Path config = cache(tmp.resolve("hub2"), "org/tiny", COMMIT, HF.resolve("llama/safetensors"), "main");
        Files.delete(config.resolve("config.json"));
        Files.createSymbolicLink(config.resolve("config.json"), other.resolve("config.json"));
        String c = failure(() -> ModelLoader.open(config));
        assertTrue(c.contains(config.resolve("config.json") + " is a symbolic link to"), c);
    }

    @Test
    void aLinkIntoNothingIsAnIncompleteDownload() throws IOException {
        Path snapshot = cache(tmp.resolve("hub"), "org/tiny", COMMIT, HF.resolve("llama/safetensors"), "main");
        Path blob = Files.readSymbolicLink(snapshot.resolve("model.safetensors"));
        Files.delete(snapshot.resolve("model.safetensors").getParent().resolve(blob));
        String m = failure(() -> ModelLoader.open(snapshot));
        assertTrue(m.contains("points at nothing") && m.contains("incomplete"), m);
    }

    @Test
    void aDamagedRefIsRefused() throws IOException {
        Path hubCache = tmp.resolve("hub");
        cache(hubCache, "org/tiny", COMMIT, HF.resolve("llama/safetensors"), "main");
        Files.writeString(hubCache.resolve("models--org--tiny/refs/main"), "../../../etc", StandardCharsets.UTF_8);
        String m = failure(() -> HubCache.locate("org/tiny", tmp, env(tmp, "HF_HUB_CACHE", hubCache.toString())));
        assertTrue(m.contains("40-digit commit hash") && m.contains("../../../etc"), m);
    }
}

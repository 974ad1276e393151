package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.Limit;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.Eigenvalues;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mojos' own logic, with a planted analysis in place of the core. */
class MojoTest {
    @TempDir
    Path dir;

    /** 2 layers x 2 heads; OV effectiveRank = 1 + layer * 2 + head (1..4), QK's = 8. */
    private static SpectralReport planted(Path model) {
        return planted(model, AnalysisSettings.defaults());
    }

    private static SpectralReport planted(Path model, AnalysisSettings settings) {
        List<HeadSpectra> heads = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            for (int h = 0; h < 2; h++) {
                heads.add(new HeadSpectra(l, h, h, circuit(8), circuit(1 + l * 2 + h)));
            }
        }
        ModelInfo info = new ModelInfo(model.toString(), "LlamaForCausalLM", 16, 4, 2, 2, 2, 2, true, "F32", 0.02);
        return new SpectralReport(1, info, settings, MojoDefaults.PLANTED_WEIGHTS, new ModelSpectra(heads), null, null,
                null, null, null);
    }

    private static CircuitSpectrum circuit(double effectiveRank) {
        CircuitStats s = new CircuitStats(1, 0.1, 0.2, 0, 0.9, 2, effectiveRank, 1.5, 2, 3, 0.5);
        return new CircuitSpectrum(16, 2, new Eigenvalues(new double[] {2, 1}, new double[] {0, 0}),
                new double[] {2, 1}, s);
    }

    private <T extends AbstractAnalysisMojo> T configure(T mojo, AtomicInteger calls) {
        MojoDefaults.analysisDefaults(mojo, dir.resolve("model").toFile(), dir.resolve("out").toFile());
        mojo.analysis = (model, settings, baseline, progress) -> {
            calls.incrementAndGet();
            progress.info("layer 0 done");
            return planted(model, settings);
        };
        mojo.weights = m -> MojoDefaults.PLANTED_WEIGHTS;
        return mojo;
    }

    private static Rule ovMinimum(double min) {
        return new Rule("OV", null, null, List.of(new Limit("effectiveRank", min, null, null)));
    }

    private Path reportFile() {
        return dir.resolve("out").resolve("spectral-report.json");
    }

    @Test
    void coreFailureBecomesItsOneParagraphAndWritesNothing() {
        SpectraMojo mojo = configure(new SpectraMojo(), new AtomicInteger());
        String paragraph = "/m/config.json is not JSON (line 1): fix or regenerate it.";
        mojo.analysis = (m, s, b, p) -> {
            throw new SpectralException(paragraph);
        };
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertEquals(paragraph, e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void failedRunLeavesTheReportOfAnEarlierRunUntouchedAndSaysSo() throws Exception {
        SpectraMojo mojo = configure(new SpectraMojo(), new AtomicInteger());
        mojo.execute();
        byte[] earlier = Files.readAllBytes(reportFile());
        mojo.analysis = (m, s, b, p) -> {
            throw new SpectralException("model.safetensors is truncated.");
        };
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertArrayEquals(earlier, Files.readAllBytes(reportFile()), "the earlier report must be left as it was");
        assertTrue(e.getMessage().startsWith("model.safetensors is truncated."), e.getMessage());
        assertTrue(e.getMessage().contains("from an earlier run was left unchanged; it does not describe this failed run"),
                e.getMessage());
    }

    @Test
    void unexpectedRuntimeFailureStillReadsAsASentence() {
        SpectraMojo mojo = configure(new SpectraMojo(), new AtomicInteger());
        mojo.analysis = (m, s, b, p) -> {
            throw new NullPointerException("Cannot read field \"re\" because \"x\" is null");
        };
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("failed unexpectedly on the model " + dir.resolve("model")), e.getMessage());
        assertTrue(e.getMessage().contains("NullPointerException: Cannot read field"), e.getMessage());
        assertTrue(e.getMessage().contains("no report was written"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(reportFile()));
    }

    @Test
    void settingsCarryParametersAndTheGoalsControlSwitch() {
        AtomicReference<AnalysisSettings> seen = new AtomicReference<>();
        SpectraMojo spectra = configure(new SpectraMojo(), new AtomicInteger());
        spectra.layers = "0-2,4";
        spectra.heads = "1";
        spectra.foldNorms = false;
        spectra.controlSeed = 7;
        spectra.analysis = (m, s, b, p) -> {
            seen.set(s);
            return planted(m);
        };
        assertDoesNotFail(spectra);
        assertEquals(Set.of(0, 1, 2, 4), seen.get().layers());
        assertEquals(Set.of(1), seen.get().heads());
        assertFalse(seen.get().foldNorms());
        assertFalse(seen.get().control(), "spectra never builds the control");
        assertEquals(7, seen.get().controlSeed());

        CompareMojo compare = configure(new CompareMojo(), new AtomicInteger());
        compare.control = false;
        compare.analysis = spectra.analysis;
        assertDoesNotFail(compare);
        assertTrue(seen.get().control(), "compare always builds the control");
    }

    @Test
    void badParameterIsAConfigurationErrorBeforeAnyWork() {
        AtomicInteger calls = new AtomicInteger();
        SpectraMojo mojo = configure(new SpectraMojo(), calls);
        mojo.layers = "3-1";
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("spectral.layers"), e.getMessage());
        mojo.layers = null;
        mojo.nearZeroTolerance = 2;
        e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("spectral.nearZeroTolerance is 2.0"), e.getMessage());
        assertEquals(0, calls.get());
    }

    @Test
    void missingBaselineIsNamed() {
        SpectraMojo mojo = configure(new SpectraMojo(), new AtomicInteger());
        mojo.baseline = dir.resolve("nope.json").toFile();
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
    }

    @Test
    void analyzeFailsWithOneLinePerOffendingHeadAfterWritingTheReport() throws Exception {
        AnalyzeMojo mojo = configure(new AnalyzeMojo(), new AtomicInteger());
        mojo.failOnViolation = true;
        mojo.rules = List.of(ovMinimum(2.5));
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        String[] lines = e.getMessage().split("\n");
        assertTrue(lines[0].startsWith("2 spectral rule violations in "), lines[0]);
        assertEquals("  layer 0, head 0, OV: effectiveRank = 1 is below the minimum 2.5", lines[1]);
        assertEquals("  layer 0, head 1, OV: effectiveRank = 2 is below the minimum 2.5", lines[2]);
        SpectralReport written = ReportFiles.read(reportFile());
        assertEquals(1, written.checks().size());
        assertFalse(written.checks().get(0).passed());
    }

    @Test
    void failOnViolationFalseOnlyWarns() throws Exception {
        AnalyzeMojo mojo = configure(new AnalyzeMojo(), new AtomicInteger());
        mojo.failOnViolation = false;
        mojo.rules = List.of(ovMinimum(2.5));
        mojo.execute();
        assertFalse(ReportFiles.read(reportFile()).checks().get(0).passed());
    }

    @Test
    void invalidRuleStopsAnalyzeBeforeTheAnalysis() {
        AtomicInteger calls = new AtomicInteger();
        AnalyzeMojo mojo = configure(new AnalyzeMojo(), calls);
        mojo.rules = List.of(new Rule("OV", null, null, List.of(new Limit("effectiveRank", null, null, 0.1))));
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("no baseline report is configured"), e.getMessage());
        assertEquals(0, calls.get());
    }

    @Test
    void checkUsesTheReportAnEarlierGoalWroteAndRecordsItsResults() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SpectraMojo spectra = configure(new SpectraMojo(), calls);
        spectra.execute();
        assertEquals(1, calls.get());

        CheckMojo check = configure(new CheckMojo(), calls);
        check.failOnViolation = true;
        check.rules = List.of(ovMinimum(1));
        check.execute();
        assertEquals(1, calls.get(), "check must not analyse again when a report of this model exists");
        SpectralReport written = ReportFiles.read(reportFile());
        assertTrue(written.checks().get(0).passed());
        assertEquals("passed on all 4 circuits", written.checks().get(0).message());
    }

    @Test
    void checkAnalysesAnewWhenASettingThatShapesTheSpectraDiffersFromTheReports() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        configure(new SpectraMojo(), calls).execute();
        CheckMojo check = configure(new CheckMojo(), calls);
        check.foldNorms = false;
        check.rules = List.of(ovMinimum(1));
        check.execute();
        assertEquals(2, calls.get(), "a report computed with foldNorms=true cannot be checked as foldNorms=false");
        assertFalse(ReportFiles.read(reportFile()).settings().foldNorms());
        assertTrue(ReportFiles.read(reportFile()).checks().get(0).passed());

        check.foldNorms = true;
        check.reanalyze = false;
        MojoExecutionException e = assertThrows(MojoExecutionException.class, check::execute);
        assertEquals("The report " + reportFile() + " does not describe this build: spectral.foldNorms was false for it "
                + "and is true now. Run spectral:analyze again to bring it up to date, or leave spectral.reanalyze at "
                + "true (the default) so that this goal analyses anew.", e.getMessage());
        assertEquals(2, calls.get());
    }

    @Test
    void checkAnalysesAnewWhenTheWeightsChangedSinceTheReport() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        configure(new SpectraMojo(), calls).execute();
        CheckMojo check = configure(new CheckMojo(), calls);
        WeightsFingerprint changed = new WeightsFingerprint("test", "fedcba9876543210", 4, 1024);
        check.weights = m -> changed;
        check.rules = List.of(ovMinimum(1));
        check.reanalyze = false;
        MojoExecutionException e = assertThrows(MojoExecutionException.class, check::execute);
        assertTrue(e.getMessage().contains("the weights changed since: their fingerprint was 0123456789ab (4 tensors, "
                + "1024 bytes), it is now fedcba987654 (4 tensors, 1024 bytes)"), e.getMessage());
        assertEquals(1, calls.get());

        check.reanalyze = true;
        check.execute();
        assertEquals(2, calls.get(), "check must not pass on a report of other weights");
    }

    @Test
    void checkAnalysesWhenThereIsNoReport() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CheckMojo check = configure(new CheckMojo(), calls);
        check.rules = List.of(ovMinimum(5));
        check.failOnViolation = true;
        MojoFailureException e = assertThrows(MojoFailureException.class, check::execute);
        assertEquals(1, calls.get());
        assertEquals(6, e.getMessage().split("\n").length, e.getMessage()); // header, 4 heads, hint
    }

    @Test
    void withoutAProjectTheOutputIsTargetSpectralUnderTheBaseDirectory() throws Exception {
        SpectraMojo mojo = configure(new SpectraMojo(), new AtomicInteger());
        // What Maven's stand-in project (no pom) injects for ${project.build.directory}/spectral.
        mojo.outputDirectory = new File(dir.toFile(), "${project.basedir}/target/spectral");
        mojo.basedir = dir.resolve("model").toFile();
        mojo.execute();
        assertTrue(Files.isRegularFile(dir.resolve("model/target/spectral/spectral-report.json")));
        assertFalse(Files.exists(dir.resolve("${project.basedir}")));
    }

    @Test
    void skipDoesNothing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AnalyzeMojo mojo = configure(new AnalyzeMojo(), calls);
        mojo.skip = true;
        mojo.rules = List.of(ovMinimum(100));
        mojo.execute();
        assertEquals(0, calls.get());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void driftRuleReadsTheBaselineReport() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SpectraMojo spectra = configure(new SpectraMojo(), calls);
        spectra.outputDirectory = dir.resolve("base").toFile();
        spectra.execute();
        AnalyzeMojo mojo = configure(new AnalyzeMojo(), calls);
        mojo.baseline = dir.resolve("base/spectral-report.json").toFile();
        mojo.failOnViolation = true;
        mojo.rules = List.of(new Rule("ALL", null, null, List.of(new Limit("effectiveRank", null, null, 0.0))));
        mojo.execute(); // the same planted spectra: zero drift passes a zero limit
        assertTrue(ReportFiles.read(reportFile()).checks().get(0).passed());
    }

    private static void assertDoesNotFail(AbstractSpectralMojo mojo) {
        try {
            mojo.execute();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unused")
    private static File f(Path p) {
        return p.toFile();
    }
}

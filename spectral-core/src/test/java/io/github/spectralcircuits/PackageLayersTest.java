package io.github.spectralcircuits;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's packages in the order data flows through them, each importing only those below it:
 * io → model → circuits → spectra → compare → check → report → aggregate → pipeline → launch, over two
 * shared bottoms (the root package's vocabulary and linalg's matrix kernels). aggregate (many checkpoints'
 * reports into trajectories) reads reports and draws with report's charts; nothing below it knows of sweeps. A cycle or an upward import
 * fails here with the offending classes named.
 */
class PackageLayersTest {
    private static final String ROOT = "io.github.spectralcircuits";
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void stagesImportOnlyDownward() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("vocabulary").definedBy(ROOT)
                .layer("linalg").definedBy(ROOT + ".linalg..")
                .layer("io").definedBy(ROOT + ".io..")
                .layer("model").definedBy(ROOT + ".model..")
                .layer("circuits").definedBy(ROOT + ".circuits..")
                .layer("spectra").definedBy(ROOT + ".spectra..")
                .layer("compare").definedBy(ROOT + ".compare..")
                .layer("check").definedBy(ROOT + ".check..")
                .layer("report").definedBy(ROOT + ".report..")
                .layer("aggregate").definedBy(ROOT + ".aggregate..")
                .layer("pipeline").definedBy(ROOT + ".pipeline..")
                .layer("launch").definedBy(ROOT + ".launch..")
                .whereLayer("launch").mayNotBeAccessedByAnyLayer()
                .whereLayer("pipeline").mayOnlyBeAccessedByLayers("launch")
                .whereLayer("aggregate").mayOnlyBeAccessedByLayers("pipeline", "launch")
                .whereLayer("report").mayOnlyBeAccessedByLayers("aggregate", "pipeline", "launch")
                .whereLayer("check").mayOnlyBeAccessedByLayers("report", "aggregate", "pipeline", "launch")
                .whereLayer("compare").mayOnlyBeAccessedByLayers("check", "report", "aggregate", "pipeline", "launch")
                .whereLayer("spectra").mayOnlyBeAccessedByLayers("compare", "check", "report", "aggregate", "pipeline",
                        "launch")
                .whereLayer("circuits").mayOnlyBeAccessedByLayers("spectra", "compare", "check", "report", "aggregate",
                        "pipeline", "launch")
                .whereLayer("model").mayOnlyBeAccessedByLayers("circuits", "spectra", "compare", "check", "report",
                        "aggregate", "pipeline", "launch")
                .whereLayer("io").mayOnlyBeAccessedByLayers("model", "circuits", "spectra", "compare", "check", "report",
                        "aggregate", "pipeline", "launch")
                .whereLayer("linalg").mayOnlyAccessLayers("vocabulary")
                .whereLayer("vocabulary").mayNotAccessAnyLayer()
                .check(core);
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(core);
    }
}

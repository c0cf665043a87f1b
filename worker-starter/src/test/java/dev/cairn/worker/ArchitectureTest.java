package dev.cairn.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses worker = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cairn.worker");

    @Test
    void theReplayEngineDoesNotDependOnSpring() {
        noClasses().that().resideInAPackage("dev.cairn.worker.replay..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.servlet..")
                .check(worker);
    }

    @Test
    void theReplayEngineDoesNotDependOnMicrometer() {
        noClasses().that().resideInAPackage("dev.cairn.worker.replay..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..")
                .check(worker);
    }

    @Test
    void theReplayEngineDependsOnNoOtherPartOfTheStarter() {
        noClasses().that().resideInAPackage("dev.cairn.worker.replay..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.cairn.worker", "dev.cairn.worker.client..", "dev.cairn.worker.invocation..",
                        "dev.cairn.worker.registration..", "dev.cairn.worker.workflow..", "dev.cairn.worker.metrics..")
                .check(worker);
    }

    @Test
    void featurePackagesDoNotDependOnTheAutoConfigurationPackage() {
        noClasses().that().resideInAPackage("dev.cairn.worker.(*)..")
                .should().dependOnClassesThat().resideInAPackage("dev.cairn.worker")
                .check(worker);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.cairn.worker.(*)..").should().beFreeOfCycles().check(worker);
    }
}

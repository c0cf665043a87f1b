package dev.cairn.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.cairn.orchestrator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles =
            slices().matching("dev.cairn.orchestrator.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule sharedPackagesDoNotDependOnFeatures = noClasses()
            .that().resideInAnyPackage("..orchestrator.api..", "..orchestrator.json..", "..orchestrator.sql..",
                    "..orchestrator.notify..", "..orchestrator.loop..", "..orchestrator.commit..")
            .should().dependOnClassesThat().resideInAnyPackage("..orchestrator.execution..",
                    "..orchestrator.checkpoint..", "..orchestrator.dispatch..", "..orchestrator.timer..",
                    "..orchestrator.worker..");

    @ArchTest
    static final ArchRule noClassNamedLikeABucket = noClasses()
            .should().haveSimpleNameEndingWith("Impl").orShould().haveSimpleNameEndingWith("Manager")
            .orShould().haveSimpleNameEndingWith("Util").orShould().haveSimpleNameEndingWith("Utils");
}

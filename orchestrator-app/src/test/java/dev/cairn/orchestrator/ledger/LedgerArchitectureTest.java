package dev.cairn.orchestrator.ledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The ledger's shape: its statements are its own (package-private statement files, reached only through the
 * {@link Ledger} facade), and it is the bottom of the write side (it depends on no feature package, so every
 * feature can call it). {@code LedgerOwnershipTest} checks that no SQL elsewhere writes its tables.
 */
@AnalyzeClasses(packages = "dev.cairn.orchestrator", importOptions = ImportOption.DoNotIncludeTests.class)
class LedgerArchitectureTest {

    @ArchTest
    static final ArchRule statementFilesArePackagePrivate = classes()
            .that().resideInAPackage("..orchestrator.ledger..")
            .and().haveSimpleNameEndingWith("Statements")
            .or().haveSimpleNameEndingWith("Sql").and().resideInAPackage("..orchestrator.ledger..")
            .should().notBePublic()
            .because("a statement is run through the Ledger facade, which decides the transaction it runs in");

    @ArchTest
    static final ArchRule theLedgerDependsOnNoFeature = noClasses()
            .that().resideInAPackage("..orchestrator.ledger..")
            .should().dependOnClassesThat().resideInAnyPackage("..orchestrator.execution..",
                    "..orchestrator.checkpoint..",
                    "..orchestrator.dispatch..", "..orchestrator.timer..", "..orchestrator.callback..",
                    "..orchestrator.retention..", "..orchestrator.worker..", "..orchestrator.console..",
                    "..orchestrator.api..", "..orchestrator.notify..", "..orchestrator.metrics..")
            .because("the ledger is the bottom of the write side: features call it, it calls none of them");
}

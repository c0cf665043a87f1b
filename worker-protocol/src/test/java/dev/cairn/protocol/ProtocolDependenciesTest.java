package dev.cairn.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ProtocolDependenciesTest {

    private final JavaClasses protocol = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cairn.protocol");

    @Test
    void theMessagesDependOnNothingButTheJdkAndTheWorkflowApi() {
        classes().that().resideInAPackage("dev.cairn.protocol")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.cairn.protocol", "dev.cairn.api..", "java..")
                .check(protocol);
    }

    @Test
    void theCodecUsesJacksonsTokenStreamsOnly() {
        classes().that().resideInAPackage("dev.cairn.protocol.json..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.cairn.protocol..", "dev.cairn.api..", "java..", "tools.jackson.core..")
                .check(protocol);
    }
}

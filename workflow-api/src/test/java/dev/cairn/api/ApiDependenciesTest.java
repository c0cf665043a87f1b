package dev.cairn.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ApiDependenciesTest {

    private final JavaClasses api = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cairn.api");

    @Test
    void dependsOnNothingButTheJdkAndSlf4j() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.cairn.api..", "java..", "org.slf4j..")
                .check(api);
    }

    @Test
    void everyDurableExceptionIsADirectSubclassOfTheBase() {
        classes().that().areAssignableTo(DurableExecutionException.class)
                .and().doNotHaveFullyQualifiedName(DurableExecutionException.class.getName())
                .should().beAssignableTo(DurableExecutionException.class)
                .andShould(new com.tngtech.archunit.lang.ArchCondition<>("extend DurableExecutionException directly") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaClass c,
                            com.tngtech.archunit.lang.ConditionEvents events) {
                        if (!c.getRawSuperclass().map(s -> s.isEquivalentTo(DurableExecutionException.class)).orElse(false)) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(c,
                                    c.getName() + " does not extend DurableExecutionException directly"));
                        }
                    }
                })
                .check(api);
    }
}

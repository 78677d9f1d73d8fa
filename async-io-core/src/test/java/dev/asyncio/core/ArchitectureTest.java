package dev.asyncio.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the core, checked over the compiled classes: the packages under {@code internal} form a
 * one-way graph (no cycle between them). The second rule (nothing outside the core imports {@code internal}) is
 * checked in the starter's tests, where the classes that must keep it are.
 */
class ArchitectureTest {

    /** No package cycle among the packages directly under {@code <root>.internal} (each with its subpackages). */
    static ArchRule noCycleAmongInternalPackages(String root) {
        return slices().matching(root + ".internal.(*)..").should().beFreeOfCycles();
    }

    @Test
    void theInternalPackagesOfTheCoreHaveNoCycle() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.asyncio.core");

        noCycleAmongInternalPackages("dev.asyncio.core").check(core);
    }

    @Test
    void theRuleReportsAPlantedCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.asyncio.archfixture");

        EvaluationResult result = noCycleAmongInternalPackages("dev.asyncio.archfixture").evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("Cycle detected").contains("a").contains("b");
    }

    /** The client package is built on the public API only, as a user could build it (DESIGN: "Clients ..."). */
    static ArchRule clientUsesThePublicApiOnly(String root) {
        return noClasses().that().resideInAPackage(root + ".client..")
                .should().dependOnClassesThat().resideInAPackage(root + ".internal..")
                .because("clients are built on the public API's connect operations plus the codecs");
    }

    @Test
    void theClientPackageUsesOnlyThePublicApi() {
        JavaClasses core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.asyncio.core");

        clientUsesThePublicApiOnly("dev.asyncio.core").check(core);
    }

    @Test
    void theClientRuleReportsAPlantedInternalDependency() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.asyncio.archfixture");

        EvaluationResult result = clientUsesThePublicApiOnly("dev.asyncio.archfixture").evaluate(fixture);

        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("client").contains("internal");
    }
}

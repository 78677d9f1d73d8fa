package dev.asyncio.sample;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The module boundary of the core, checked over the sample's compiled classes: the sample is what users copy, so it
 * uses only {@code dev.asyncio.core} and the starter, never {@code dev.asyncio.core.internal} (the engine is not API
 * and may change in any release).
 */
class ArchitectureTests {

    static final ArchRule NO_CORE_INTERNALS = noClasses().that().resideOutsideOfPackage("dev.asyncio.core..")
            .should().dependOnClassesThat().resideInAPackage("dev.asyncio.core.internal..")
            .because("only the API package dev.asyncio.core is public; internal is the engine");

    @Test
    void theSampleUsesOnlyTheCoresApi() {
        JavaClasses sample = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.asyncio.sample");

        assertThat(sample).isNotEmpty();
        NO_CORE_INTERNALS.check(sample);
    }

    @Test
    void theRuleReportsAClassThatUsesAnInternal() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.asyncio.samplearchfixture");

        assertThat(NO_CORE_INTERNALS.evaluate(fixture).hasViolation()).isTrue();
    }
}

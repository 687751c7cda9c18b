package dev.kawari.agent;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module map of ARCHITECTURE.md, enforced on the bytecode of everything the agent bundles: kits
 * see only the SPI and the two support libraries (aws-support, app-support), the SPI sees no
 * framework, the engine sees no kit, kits never reach into each other, and the support libraries
 * sit below the kits: app-support on aws-support and the SPI, aws-support on the SPI alone.
 */
class DependencyRulesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importKawari() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.kawari");
    }

    @Test
    void someKitsAreBundled() {
        org.assertj.core.api.Assertions.assertThat(classes.stream()
                .filter(c -> c.getPackageName().startsWith("dev.kawari.kit.")).count())
                .as("kit classes on the agent's class path").isPositive();
    }

    @Test
    void kitsUseOnlyTheSpiAndTheSupportLibraries() {
        noClasses().that().resideInAPackage("dev.kawari.kit..")
                .should().dependOnClassesThat(resideInAPackage("dev.kawari..").and(not(resideInAnyPackage(
                        "dev.kawari.spi..", "dev.kawari.aws..", "dev.kawari.app..", "dev.kawari.kit.."))))
                .because("kits depend on core only through dev.kawari.spi, and share code only through aws-support"
                        + " (dev.kawari.aws) and app-support (dev.kawari.app)")
                .check(classes);
    }

    @Test
    void appSupportUsesOnlyTheSpiAndAwsSupport() {
        noClasses().that().resideInAPackage("dev.kawari.app..")
                .should().dependOnClassesThat(resideInAPackage("dev.kawari..").and(not(resideInAnyPackage(
                        "dev.kawari.spi..", "dev.kawari.aws..", "dev.kawari.app.."))))
                .because("app-support is shared plumbing for application kits: the SPI, and AWS clients for"
                        + " Secrets Manager")
                .check(classes);
    }

    @Test
    void appSupportIsBundled() {
        org.assertj.core.api.Assertions.assertThat(classes.stream()
                .filter(c -> c.getPackageName().equals("dev.kawari.app")).count())
                .as("app-support classes on the agent's class path").isPositive();
    }

    @Test
    void awsSupportUsesOnlyTheSpiOfCore() {
        noClasses().that().resideInAPackage("dev.kawari.aws..")
                .should().dependOnClassesThat(resideInAPackage("dev.kawari..").and(not(resideInAnyPackage(
                        "dev.kawari.spi..", "dev.kawari.aws.."))))
                .because("aws-support is shared plumbing for AWS kits, which see core only through dev.kawari.spi;"
                        + " it knows nothing of applications (app-support builds on it, not the other way)")
                .check(classes);
    }

    @Test
    void awsSupportIsBundled() {
        org.assertj.core.api.Assertions.assertThat(classes.stream()
                .filter(c -> c.getPackageName().equals("dev.kawari.aws")).count())
                .as("aws-support classes on the agent's class path").isPositive();
    }

    @Test
    void kitsDoNotDependOnEachOther() {
        slices().matching("dev.kawari.kit.(*)..").should().notDependOnEachOther().check(classes);
    }

    @Test
    void theSpiExposesNoFrameworkTypes() {
        noClasses().that().resideInAPackage("dev.kawari.spi..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.google.inject..", "jakarta.inject..", "software.amazon..", "org.slf4j..",
                        "ch.qos.logback..", "com.fasterxml..", "picocli..", "dev.kawari.engine..",
                        "dev.kawari.agent..", "dev.kawari.kit..")
                .because("a kit must be writable and testable with plain new and the JDK")
                .check(classes);
    }

    @Test
    void theEngineNeverImportsAKitOrTheAgent() {
        noClasses().that().resideInAPackage("dev.kawari.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.kawari.kit..", "dev.kawari.agent..")
                .check(classes);
    }
}

package io.sansnet.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.sansnet.sim.coretest.Compliant;
import io.sansnet.sim.coretest.Violator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core rules, checked on the compiled classes: code in {@code stack}, {@code sim} and the protocol packages of
 * {@code http} does no I/O, starts no threads, never sleeps, never reads the wall clock and draws no unseeded
 * randomness. Time comes in as {@code long nowNanos}, randomness from an injected {@code SplitMix64}, so one seed
 * gives one run, byte for byte.
 */
class CoreRulesTest {
    /** The core: the sans-io stack, the simulator and the HTTP protocol code (not the HTTP server's drivers). */
    static final String[] CORE_PACKAGES = {
        "io.sansnet.stack..",
        "io.sansnet.sim..",
        "io.sansnet.http",
        "io.sansnet.http.ws..",
        "io.sansnet.http.codec..",
        "io.sansnet.http.server.."
    };

    /** Types core code must not mention at all (in a field, a signature, a call, anything). */
    private static final Set<String> FORBIDDEN_TYPES = Set.of(
            "java.net.Socket",
            "java.net.ServerSocket",
            "java.net.DatagramSocket",
            "java.net.MulticastSocket",
            "java.net.DatagramPacket",
            "java.net.SocketImpl",
            "java.net.SocketImplFactory",
            "java.net.DatagramSocketImpl",
            "java.net.DatagramSocketImplFactory",
            "java.net.URLConnection",
            "java.net.HttpURLConnection",
            "java.net.JarURLConnection",
            "java.io.RandomAccessFile",
            "java.util.concurrent.Executors",
            "java.util.concurrent.ForkJoinPool",
            "java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ThreadLocalRandom",
            "java.util.Timer",
            "java.security.SecureRandom");

    /** Packages core code must not mention at all. */
    private static final List<String> FORBIDDEN_PACKAGES =
            List.of("java.nio.channels", "java.nio.file", "java.net.http");

    /** A use of a forbidden type or package, with the reason, or null when allowed. */
    private static String forbiddenType(JavaClass type) {
        JavaClass t = type.getBaseComponentType();
        String name = t.getName();
        String pkg = t.getPackageName();
        if (FORBIDDEN_TYPES.contains(name)) {
            return "I/O, threads or unseeded randomness (" + t.getSimpleName() + ")";
        }
        for (String p : FORBIDDEN_PACKAGES) {
            if (pkg.equals(p) || pkg.startsWith(p + ".")) {
                return "I/O (" + p + ")";
            }
        }
        if (pkg.equals("java.io") && t.getSimpleName().startsWith("File")) {
            return "file I/O (java.io.File*)";
        }
        return null;
    }

    /** A call or reference to a forbidden method or constructor, with the reason, or null when allowed. */
    private static String forbiddenMember(AccessTarget target) {
        String owner = target.getOwner().getName();
        String name = target.getName();
        List<String> params = target instanceof AccessTarget.CodeUnitAccessTarget cu
                ? cu.getRawParameterTypes().stream().map(JavaClass::getName).collect(Collectors.toList())
                : List.of();
        boolean constructor = name.equals("<init>");
        switch (owner) {
            case "java.lang.System":
                return name.equals("currentTimeMillis") || name.equals("nanoTime") ? "the wall clock" : null;
            case "java.lang.Thread":
                return constructor || name.equals("start") || name.equals("sleep") ? "a thread or sleeping" : null;
            case "java.util.concurrent.TimeUnit":
                return name.equals("sleep") ? "sleeping" : null;
            case "java.lang.Math":
            case "java.lang.StrictMath":
                return name.equals("random") ? "unseeded randomness" : null;
            case "java.util.Random":
            case "java.util.SplittableRandom":
                return constructor && params.isEmpty() ? "unseeded randomness (no-argument constructor)" : null;
            case "java.util.UUID":
                return name.equals("randomUUID") ? "unseeded randomness" : null;
            case "java.util.Collections":
                return name.equals("shuffle") && params.size() == 1
                        ? "unseeded randomness (shuffle without a Random)"
                        : null;
            case "java.util.Date":
                return constructor && params.isEmpty() ? "the wall clock (new Date())" : null;
            case "java.time.Clock":
                return name.startsWith("system") ? "the wall clock" : null;
            case "java.time.InstantSource":
                return name.equals("system") ? "the wall clock" : null;
            case "java.util.concurrent.CompletableFuture":
                if (name.endsWith("Async") && !params.contains("java.util.concurrent.Executor")) {
                    return "a thread pool (" + name + " without an Executor)";
                }
                return name.equals("orTimeout") || name.equals("completeOnTimeout") || name.equals("delayedExecutor")
                        ? "a timer thread and the wall clock"
                        : null;
            default:
                break;
        }
        // every static now() of java.time (Instant.now, LocalDateTime.now, ...) and Chronology.dateNow
        if (owner.startsWith("java.time.") && (name.equals("now") || name.equals("dateNow"))) {
            return "the wall clock";
        }
        return null;
    }

    static final ArchCondition<JavaClass> BE_SANS_IO =
            new ArchCondition<>(
                    "do no I/O, start no threads, never sleep, read no wall clock, draw no unseeded randomness") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    if (c.isAssignableTo(Thread.class)) {
                        events.add(SimpleConditionEvent.violated(c, c.getName() + " extends Thread"));
                    }
                    c.getDirectDependenciesFromSelf().forEach(d -> {
                        String why = forbiddenType(d.getTargetClass());
                        if (why != null) {
                            events.add(SimpleConditionEvent.violated(d, why + ": " + d.getDescription()));
                        }
                    });
                    for (JavaAccess<?> access : c.getAccessesFromSelf()) {
                        String why = forbiddenMember(access.getTarget());
                        if (why != null) {
                            events.add(SimpleConditionEvent.violated(access, why + ": " + access.getDescription()));
                        }
                    }
                }
            };

    static final ArchRule CORE_IS_SANS_IO = classes()
            .that()
            .resideInAnyPackage(CORE_PACKAGES)
            .should(BE_SANS_IO)
            .because("time comes in as nowNanos and randomness from an injected SplitMix64, so one seed gives one"
                    + " run (see CONTRIBUTING.md, core rules)");

    /** Excludes test classes wherever the build puts them (target-SUFFIX/test-classes too, which
     *  {@link ImportOption.DoNotIncludeTests} does not recognise). */
    private static final ImportOption NO_TEST_CLASSES_DIR =
            location -> !location.contains("/test-classes/") && !location.contains("-tests.jar");

    /**
     * The rule reads only names (owners, methods, parameter types), so the JDK's classes need not be imported: not
     * resolving them from the class path makes the import take a second instead of many.
     */
    @BeforeAll
    static void importOnlyTheClassesAsked() {
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    }

    @AfterAll
    static void restoreArchUnitDefaults() {
        ArchConfiguration.get().reset();
    }

    private static JavaClasses core() {
        return new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .withImportOption(NO_TEST_CLASSES_DIR)
                .importPackages("io.sansnet");
    }

    @Test
    void coreCodeIsSansIo() {
        JavaClasses core = core();

        // the import sees the main classes of every core module and none of the test classes
        assertThat(core.contain("io.sansnet.stack.rand.SplitMix64")).isTrue();
        assertThat(core.stream().anyMatch(c -> c.getPackageName().equals("io.sansnet.sim")))
                .isTrue();
        assertThat(core.contain(Violator.class)).isFalse();
        assertThat(core.contain(CoreRulesTest.class)).isFalse();
        CORE_IS_SANS_IO.check(core);
    }

    @Test
    void theRuleReportsEveryKindOfViolation() {
        JavaClasses violator = new ClassFileImporter().importClasses(Violator.class);

        EvaluationResult result = CORE_IS_SANS_IO.evaluate(violator);

        assertThat(result.hasViolation()).isTrue();
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertThat(report)
                .contains("calls method <java.lang.System.nanoTime()>")
                .contains("references method <java.lang.System.nanoTime()>")
                .contains("calls method <java.lang.System.currentTimeMillis()>")
                .contains("calls method <java.time.Instant.now()>")
                .contains("calls constructor <java.util.Random.<init>()>")
                .contains("calls method <java.lang.Math.random()>")
                .contains("ThreadLocalRandom")
                .contains("SecureRandom")
                .contains("calls method <java.util.UUID.randomUUID()>")
                .contains("calls method <java.util.Collections.shuffle(java.util.List)>")
                .contains("calls method <java.lang.Thread.sleep(long)>")
                .contains("calls constructor <java.lang.Thread.<init>(java.lang.Runnable)>")
                .contains("calls method <java.lang.Thread.start()>")
                .contains("Executors")
                .contains("ForkJoinPool")
                .contains("supplyAsync without an Executor")
                .contains("thenApplyAsync without an Executor")
                .contains("(Socket)")
                .contains("I/O (java.nio.channels)")
                .contains("I/O (java.nio.file)")
                .contains("file I/O (java.io.File*)");
    }

    @Test
    void theRuleAllowsSeededRandomnessExplicitExecutorsAndTimeAsAValue() {
        JavaClasses compliant = new ClassFileImporter().importClasses(Compliant.class);

        EvaluationResult result = CORE_IS_SANS_IO.evaluate(compliant);

        assertThat(result.getFailureReport().getDetails()).isEmpty();
    }
}

package io.sansnet.check;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs {@link Property} methods (annotated directly, or through an annotation of the user's that is annotated with
 * {@code @Property}): resolves their {@link Gen} parameters, then, instead of the single invocation JUnit
 * would make, invokes the method once per try through a {@link PropertyRunner}. Publishes a report entry
 * {@code sansnet.property} with the run seed and the number of tries.
 */
public final class PropertyExtension implements ParameterResolver, InvocationInterceptor {
    /** Replays the one try with this seed. */
    public static final String SEED = "sansnet.seed";
    /** Overrides the number of tries of every property. */
    public static final String TRIES = "sansnet.tries";
    /** {@code true} runs each property's {@link Property#exploreTries()} where it names one. */
    public static final String EXPLORE = "sansnet.explore";
    /** Overrides the run seed the tries' seeds are derived from. */
    public static final String RUN_SEED = "sansnet.runSeed";
    /** Overrides the shrink budget of every property. */
    public static final String SHRINK_STEPS = "sansnet.shrinkSteps";
    /** The repository root (set by the build) used to name the module in the replay command. */
    public static final String ROOT = "sansnet.root";

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Gen.class
                && AnnotationSupport.isAnnotated(parameterContext.getDeclaringExecutable(), Property.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return Gen.fromSeed(0); // a placeholder: each try gets its own
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context)
            throws Throwable {
        Method method = invocationContext.getExecutable();
        Property property =
                AnnotationSupport.findAnnotation(method, Property.class).orElse(null);
        if (property == null) {
            invocation.proceed();
            return;
        }
        invocation.skip();
        Class<?> testClass = invocationContext.getTargetClass();
        String name = classWithinPackage(testClass) + "#" + method.getName();
        PropertyRunner runner = PropertyRunner.named(name)
                .tries(intParameter(context, TRIES).orElse(defaultTries(context, property)))
                .shrinkSteps(intParameter(context, SHRINK_STEPS).orElse(property.shrinkSteps()))
                .replayCommand(seed -> replayCommand(context, testClass, method, seed));
        Optional<Long> runSeed = longParameter(context, RUN_SEED);
        if (runSeed.isPresent()) {
            runner.runSeed(runSeed.get());
        }
        Optional<Long> seed = longParameter(context, SEED);
        if (seed.isPresent()) {
            runner.replaySeed(seed.get());
        }
        Object target = invocationContext.getTarget().orElse(null);
        List<Object> arguments = invocationContext.getArguments();
        Class<?>[] types = method.getParameterTypes();
        method.setAccessible(true);
        PropertyRunner.Summary summary = runner.run(g -> {
            Object[] args = arguments.toArray();
            for (int i = 0; i < args.length; i++) {
                if (types[i] == Gen.class) {
                    args[i] = g;
                }
            }
            try {
                method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        context.publishReportEntry(
                "sansnet.property",
                "tries=" + summary.tries() + " discarded=" + summary.discarded() + " runSeed=" + summary.runSeed());
    }

    /**
     * The command replaying one try: the module is the test's working directory relative to the repository root
     * ({@code -am} builds the modules it needs, which are not installed; {@code failIfNoSpecifiedTests=false} lets
     * those modules have no matching test).
     */
    static String replayCommand(ExtensionContext context, Class<?> testClass, Method method, long seed) {
        String test = "-Dtest='" + classWithinPackage(testClass) + "#" + method.getName() + "' -D" + SEED + "=" + seed;
        String module = module(context.getConfigurationParameter(ROOT).orElse(null), System.getProperty("user.dir"));
        if (module.isEmpty()) {
            return "mvn test -Dsurefire.failIfNoSpecifiedTests=false " + test;
        }
        return "mvn -pl " + module + " -am test -Dsurefire.failIfNoSpecifiedTests=false " + test;
    }

    static String module(String root, String workingDir) {
        if (workingDir == null) {
            return "";
        }
        Path dir = Path.of(workingDir).toAbsolutePath().normalize();
        if (root != null && !root.isBlank()) {
            Path r = Path.of(root).toAbsolutePath().normalize();
            if (dir.startsWith(r)) {
                return r.relativize(dir).toString().replace('\\', '/');
            }
        }
        Path name = dir.getFileName();
        return name == null ? "" : name.toString();
    }

    /** {@code Outer$Inner} for a nested class: what surefire's {@code -Dtest} matches. */
    private static String classWithinPackage(Class<?> c) {
        String n = c.getName();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(dot + 1);
    }

    /** {@link Property#exploreTries()} under {@code sansnet.explore=true} when the property names it, else its tries. */
    static int defaultTries(ExtensionContext context, Property property) {
        boolean explore = context.getConfigurationParameter(EXPLORE)
                .map(v -> Boolean.parseBoolean(v.trim()))
                .orElse(false);
        return explore && property.exploreTries() > 0 ? property.exploreTries() : property.tries();
    }

    private static Optional<Integer> intParameter(ExtensionContext context, String key) {
        return context.getConfigurationParameter(key).map(v -> {
            try {
                return Integer.parseInt(v.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be an int: " + v, e);
            }
        });
    }

    private static Optional<Long> longParameter(ExtensionContext context, String key) {
        return context.getConfigurationParameter(key).map(v -> parseLong(key, v));
    }

    /** A seed as printed (signed decimal), or unsigned decimal, or hex with {@code 0x}. */
    static long parseLong(String key, String v) {
        String s = v.trim().replace("_", "");
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return s.startsWith("-") ? Long.parseLong(s) : Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a long: " + v, e);
        }
    }
}

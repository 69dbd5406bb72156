package io.sansnet.driver.socket;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec's malformed and smuggling suite ({@code http/src/test/java/io/sansnet/http/MalformedRequests.java}),
 * loaded here so the socket transport runs exactly the same cases. The http module publishes no test jar, so the
 * source file is compiled at test time with the JDK's compiler (it depends on nothing but the JDK).
 */
final class MalformedCases {
    private MalformedCases() {}

    record Case(String name, byte[] bytes, int status) {
        @Override
        public String toString() {
            return name + " -> " + status;
        }
    }

    static final String SOURCE = "http/src/test/java/io/sansnet/http/MalformedRequests.java";

    static List<Case> load() throws Exception {
        Path src = locate();
        Path out = Files.createTempDirectory("malformed-cases");
        Path pkg = Files.createDirectories(out.resolve("src/io/sansnet/http"));
        Path copy = Files.copy(src, pkg.resolve("MalformedRequests.java"));
        // Through reflection: the driver's test sources are compiled as part of its module, which does not read
        // java.compiler; the tests themselves run on the class path, where it is available.
        Object javac = Class.forName("javax.tools.ToolProvider")
                .getMethod("getSystemJavaCompiler")
                .invoke(null);
        if (javac == null) throw new IllegalStateException("no Java compiler in this runtime");
        Path classes = Files.createDirectories(out.resolve("classes"));
        Method run = Class.forName("javax.tools.Tool")
                .getMethod(
                        "run",
                        java.io.InputStream.class,
                        java.io.OutputStream.class,
                        java.io.OutputStream.class,
                        String[].class);
        int rc =
                (Integer) run.invoke(javac, null, null, null, new String[] {"-d", classes.toString(), copy.toString()});
        if (rc != 0) throw new IllegalStateException("compiling " + src + " failed");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Class<?> c = cl.loadClass("io.sansnet.http.MalformedRequests");
            List<?> all = (List<?>) c.getField("ALL").get(null);
            List<Case> cases = new ArrayList<>();
            for (Object m : all) {
                Method name = m.getClass().getMethod("name"),
                        bytes = m.getClass().getMethod("bytes");
                Method status = m.getClass().getMethod("status");
                name.setAccessible(true);
                bytes.setAccessible(true);
                status.setAccessible(true);
                cases.add(new Case((String) name.invoke(m), (byte[]) bytes.invoke(m), (Integer) status.invoke(m)));
            }
            return cases;
        }
    }

    private static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path p = dir.resolve(SOURCE);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalStateException(
                "cannot find " + SOURCE + " above " + Path.of("").toAbsolutePath());
    }
}

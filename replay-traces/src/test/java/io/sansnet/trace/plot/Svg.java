package io.sansnet.trace.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a rendered SVG back with the JDK's XML parser (javax.xml.parsers, org.w3c.dom). The module
 * {@code io.sansnet.trace} does not read {@code java.xml} and the tests are compiled into it, so the parser is reached
 * by reflection; the tests run on the class path, where {@code java.xml} is readable.
 */
final class Svg {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private final Object doc;

    private Svg(Object doc) {
        this.doc = doc;
    }

    private static final Map<String, Method> METHODS = new ConcurrentHashMap<>();

    private static Object call(Object target, String type, String method, Object... args) {
        try {
            Class<?>[] types = new Class<?>[args.length];
            for (int i = 0; i < args.length; i++) {
                types[i] = args[i] instanceof Integer
                        ? int.class
                        : args[i] instanceof Boolean
                                ? boolean.class
                                : args[i] instanceof InputStream ? InputStream.class : String.class;
            }
            String key = type + "." + method + "/" + args.length;
            Method m = METHODS.get(key);
            if (m == null) {
                m = Class.forName(type).getMethod(method, types);
                METHODS.put(key, m);
            }
            return m.invoke(target, args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type + "." + method + ": " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /** Parses {@code svg}; fails the test when it is not well-formed XML with an SVG root. */
    static Svg parse(String svg) {
        String dbf = "javax.xml.parsers.DocumentBuilderFactory";
        Object f = call(null, dbf, "newInstance");
        call(f, dbf, "setNamespaceAware", true);
        call(f, dbf, "setFeature", "http://apache.org/xml/features/disallow-doctype-decl", true);
        Object builder = call(f, dbf, "newDocumentBuilder");
        Object d = call(
                builder,
                "javax.xml.parsers.DocumentBuilder",
                "parse",
                new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        Object root = call(d, "org.w3c.dom.Document", "getDocumentElement");
        assertThat(call(root, "org.w3c.dom.Node", "getLocalName")).isEqualTo("svg");
        assertThat(call(root, "org.w3c.dom.Node", "getNamespaceURI")).isEqualTo(SVG_NS);
        return new Svg(d);
    }

    private int length(Object nodeList) {
        return (Integer) call(nodeList, "org.w3c.dom.NodeList", "getLength");
    }

    private Object item(Object nodeList, int i) {
        return call(nodeList, "org.w3c.dom.NodeList", "item", i);
    }

    private Object all(String tag) {
        return call(doc, "org.w3c.dom.Document", "getElementsByTagNameNS", SVG_NS, tag);
    }

    private static String attr(Object element, String name) {
        return (String) call(element, "org.w3c.dom.Element", "getAttribute", name);
    }

    /** Elements named {@code tag} whose class is exactly {@code cls}. */
    int count(String tag, String cls) {
        Object list = all(tag);
        int n = 0;
        for (int i = 0; i < length(list); i++) {
            if (attr(item(list, i), "class").equals(cls)) {
                n++;
            }
        }
        return n;
    }

    /** Elements named {@code tag}. */
    int count(String tag) {
        return length(all(tag));
    }

    /** The text of the first element named {@code tag}. */
    String text(String tag) {
        return (String) call(item(all(tag), 0), "org.w3c.dom.Node", "getTextContent");
    }

    /** The layer group with {@code id}. */
    private Object layer(String id) {
        Object list = all("g");
        for (int i = 0; i < length(list); i++) {
            if (attr(item(list, i), "id").equals(id)) {
                return item(list, i);
            }
        }
        throw new AssertionError("no layer " + id);
    }

    /** The points of the polyline of class {@code cls}. */
    String points(String cls) {
        Object list = all("polyline");
        for (int i = 0; i < length(list); i++) {
            if (attr(item(list, i), "class").equals(cls)) {
                return attr(item(list, i), "points");
            }
        }
        throw new AssertionError("no polyline " + cls);
    }

    /** Elements the layer {@code id} draws. */
    int drawn(String id) {
        return Integer.parseInt(attr(layer(id), "data-drawn"));
    }

    /** Items of the graph the layer {@code id} stands for. */
    int counted(String id) {
        return Integer.parseInt(attr(layer(id), "data-count"));
    }
}

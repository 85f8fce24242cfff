package io.cloudnexus.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration properties declared by {@code @ConfigMapping} interfaces from Java
 * sources, as SmallRye Config names them: {@code prefix} + the methods' names in kebab case
 * (or {@code @WithName}), nested group interfaces adding their method's name (none with
 * {@code @WithParentName}); {@code Map} members accept any sub-key. Also collects
 * {@code @ConfigProperty(name = ...)} and programmatic {@code getValue("...")} look-ups.
 */
final class ConfigMappingScanner {

    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{;]*\\{");
    private static final Pattern PREFIX = Pattern.compile("@ConfigMapping\\s*\\([^)]*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\s*\\(\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\s*\\([^)]*\\))?");
    private static final Pattern METHOD = Pattern.compile("(?s)(.+?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*");
    private static final Pattern CONFIG_PROPERTY =
            Pattern.compile("@ConfigProperty\\s*\\([^)]*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern PROGRAMMATIC = Pattern.compile("get(?:Optional)?Values?\\s*\\(\\s*\"([^\"]+)\"");

    /** An interface body inside one source. */
    private record Body(JavaSource source, int start, int end) {}

    private final Map<String, Body> interfaces = new HashMap<>();
    private final Map<String, String> defaults = new HashMap<>();
    private final List<JavaSource> sources;

    ConfigMappingScanner(List<JavaSource> sources) {
        this.sources = sources;
        for (JavaSource source : sources) {
            Matcher m = INTERFACE.matcher(source.masked());
            while (m.find()) {
                int open = m.end() - 1;
                interfaces.putIfAbsent(m.group(1), new Body(source, open + 1, source.closingBrace(open)));
            }
        }
    }

    /** The {@code @WithDefault} of each property that has one (as written in the source: Java escapes kept). */
    Map<String, String> defaults() {
        return defaults;
    }

    /** Adds every property (and map prefix) the sources declare. */
    void scan(Set<String> properties, Set<String> mapPrefixes) {
        for (JavaSource source : sources) {
            Matcher m = INTERFACE.matcher(source.masked());
            while (m.find()) {
                String before = source.text().substring(Math.max(0, annotationsStart(source, m.start())), m.start());
                Matcher prefix = PREFIX.matcher(before);
                if (prefix.find()) {
                    walk(interfaces.get(m.group(1)), prefix.group(1), properties, mapPrefixes, 0);
                }
            }
            Matcher property = CONFIG_PROPERTY.matcher(source.text());
            while (property.find()) {
                properties.add(property.group(1));
            }
            Matcher programmatic = PROGRAMMATIC.matcher(source.text());
            while (programmatic.find()) {
                properties.add(programmatic.group(1));
            }
        }
    }

    private static int annotationsStart(JavaSource source, int interfaceKeyword) {
        String masked = source.masked();
        int i = interfaceKeyword - 1;
        while (i >= 0 && masked.charAt(i) != ';' && masked.charAt(i) != '}' && masked.charAt(i) != '{') {
            i--;
        }
        return i + 1;
    }

    private void walk(Body body, String prefix, Set<String> properties, Set<String> mapPrefixes, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("config groups nested too deeply under " + prefix);
        }
        String masked = body.source().masked();
        int segmentStart = body.start();
        int i = body.start();
        while (i < body.end()) {
            char c = masked.charAt(i);
            if (c == '{') {
                // a nested type or a default method: not a property itself
                i = body.source().closingBrace(i) + 1;
                segmentStart = i;
                continue;
            }
            if (c == ';') {
                member(body.source(), segmentStart, i, prefix, properties, mapPrefixes, depth);
                segmentStart = i + 1;
            }
            i++;
        }
    }

    private void member(
            JavaSource source,
            int from,
            int to,
            String prefix,
            Set<String> properties,
            Set<String> mapPrefixes,
            int depth) {
        String original = source.text().substring(from, to);
        String declaration = ANNOTATION
                .matcher(source.masked().substring(from, to))
                .replaceAll(" ")
                .trim();
        Matcher method = METHOD.matcher(declaration);
        if (!method.matches() || declaration.contains("=") || declaration.startsWith("static ")) {
            return;
        }
        String type = method.group(1).replaceAll("\\s+", "");
        Matcher withName = WITH_NAME.matcher(original);
        boolean parentName = original.contains("@WithParentName");
        String name =
                parentName ? prefix : prefix + "." + (withName.find() ? withName.group(1) : kebab(method.group(2)));
        String outer = simpleName(type.contains("<") ? type.substring(0, type.indexOf('<')) : type);
        String argument = type.contains("<") ? type.substring(type.indexOf('<') + 1, type.lastIndexOf('>')) : "";
        if (outer.equals("Map")) {
            mapPrefixes.add(name);
            return;
        }
        String group = interfaces.containsKey(outer)
                ? outer
                : interfaces.containsKey(simpleName(argument)) ? simpleName(argument) : null;
        if (group != null) {
            walk(interfaces.get(group), name, properties, mapPrefixes, depth + 1);
        } else {
            properties.add(name);
            Matcher withDefault = WITH_DEFAULT.matcher(original);
            if (withDefault.find()) {
                defaults.put(name, withDefault.group(1).replace("\\\\", "\\"));
            }
        }
    }

    private static String simpleName(String type) {
        String t = type.replace("[]", "");
        return t.substring(t.lastIndexOf('.') + 1);
    }

    /** SmallRye Config's default naming: {@code maxInFlight} -> {@code max-in-flight}. */
    static String kebab(String methodName) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < methodName.length(); i++) {
            char c = methodName.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(methodName.charAt(i - 1));
                boolean beforeLower =
                        i > 0 && i + 1 < methodName.length() && Character.isLowerCase(methodName.charAt(i + 1));
                if (afterLower || beforeLower) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

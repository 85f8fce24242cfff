package io.cloudnexus.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The configuration properties one service reads, derived from its sources: its
 * {@code application.properties}, the {@code META-INF/microprofile-config.properties} of it and of
 * the reactor modules it depends on (service-common, event-store), the properties those files'
 * values refer to ({@code ${...}}), and the {@code @ConfigMapping} interfaces (and
 * {@code @ConfigProperty} injections) in all those modules' sources.
 *
 * <p>An environment variable corresponds to a property when the property's MicroProfile Config
 * environment name (upper case, every non-alphanumeric character replaced by {@code _}) equals it;
 * under a {@code Map} member any sub-key is accepted.
 */
public final class ServiceConfiguration {

    private static final Pattern PROFILE = Pattern.compile("^%[^.]+\\.");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)");
    private static final Pattern EXPRESSION_WITHOUT_DEFAULT = Pattern.compile("\\$\\{([^}:]+)}");

    private final String module;
    private final Set<String> properties;
    private final Set<String> mapPrefixes;
    private final Map<String, String> values;
    private final Set<String> required;
    private final Map<String, String> defaults;
    private final List<String> repeatedDefaults;

    ServiceConfiguration(
            String module,
            Set<String> properties,
            Set<String> mapPrefixes,
            Map<String, String> values,
            Map<String, String> defaults,
            List<String> repeatedDefaults) {
        this.module = module;
        this.properties = properties;
        this.mapPrefixes = mapPrefixes;
        this.values = values;
        this.defaults = defaults;
        this.repeatedDefaults = repeatedDefaults;
        this.required = new TreeSet<>();
        for (String value : values.values()) {
            Matcher expression = EXPRESSION_WITHOUT_DEFAULT.matcher(value);
            while (expression.find()) {
                String name = expression.group(1).trim();
                if (!values.containsKey(name) && !defaults.containsKey(name)) {
                    required.add(name);
                }
            }
        }
    }

    /**
     * Properties the default profile refers to ({@code ${name}}, no default) without giving them a
     * value: a deployment must set them (e.g. cloudnexus.identity.public-key-location).
     */
    public Set<String> requiredWithoutValue() {
        return required;
    }

    /** The configuration {@code module} reads, from the repository's sources. */
    public static ServiceConfiguration of(Repository repository, String module) {
        Set<String> properties = new TreeSet<>();
        Set<String> mapPrefixes = new TreeSet<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<JavaSource> sources = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (String m : repository.runtimeModules(module)) {
            Path main = repository.resolve(m).resolve("src/main");
            files.add(main.resolve("resources/META-INF/microprofile-config.properties"));
            sources.addAll(javaSources(main.resolve("java")));
        }
        // the service's own file last: its values win, as at run time
        files.add(repository.resolve(module).resolve("src/main/resources/application.properties"));
        Map<Path, Map<String, String>> fileValues = new LinkedHashMap<>();
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                Map<String, String> own = new LinkedHashMap<>();
                readProperties(Repository.read(file), properties, own);
                values.putAll(own);
                fileValues.put(file, own);
            }
        }
        ConfigMappingScanner scanner = new ConfigMappingScanner(sources);
        scanner.scan(properties, mapPrefixes);
        List<String> repeated = new ArrayList<>();
        fileValues.forEach((file, own) -> own.forEach((key, value) -> {
            if (value.equals(scanner.defaults().get(key))) {
                repeated.add(repository.root().relativize(file) + ": " + key + "=" + value);
            }
        }));
        return new ServiceConfiguration(module, properties, mapPrefixes, values, scanner.defaults(), repeated);
    }

    /**
     * Default-profile lines of the service's properties files (its own and the shared ones) that set a property to
     * the value its {@code @WithDefault} already gives: a default must live in one place.
     */
    public List<String> repeatedDefaults() {
        return repeatedDefaults;
    }

    /** Adds the keys of a properties text (profiles stripped) and the properties its values refer to. */
    static void readProperties(String text, Set<String> properties, Map<String, String> values) {
        Properties parsed = new Properties();
        try {
            parsed.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : parsed.stringPropertyNames()) {
            String value = parsed.getProperty(key);
            String name = PROFILE.matcher(key).replaceFirst("");
            properties.add(name);
            if (!key.startsWith("%")) {
                values.put(name, value);
            }
            Matcher expression = EXPRESSION.matcher(value);
            while (expression.find()) {
                properties.add(expression.group(1).trim());
            }
        }
    }

    private static List<JavaSource> javaSources(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java"))
                    .map(p -> JavaSource.of(p.getFileName().toString(), Repository.read(p)))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MicroProfile Config's environment variable name of a property. */
    public static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    public String module() {
        return module;
    }

    public Set<String> properties() {
        return properties;
    }

    /** Whether setting {@code envName} configures a property this service reads. */
    public boolean readsEnv(String envName) {
        for (String property : properties) {
            if (envName(property).equals(envName)) {
                return true;
            }
        }
        for (String prefix : mapPrefixes) {
            if (envName.startsWith(envName(prefix) + "_")
                    && envName.length() > envName(prefix).length() + 1) {
                return true;
            }
        }
        return false;
    }

    /** The environment variables among {@code envNames} that configure nothing this service reads. */
    public List<String> unknownEnv(Collection<String> envNames) {
        return envNames.stream().filter(name -> !readsEnv(name)).sorted().collect(Collectors.toList());
    }

    /**
     * The value in the service's (or a shared) properties file for the default profile, else the property's
     * {@code @WithDefault}.
     */
    public Optional<String> value(String property) {
        return Optional.ofNullable(values.getOrDefault(property, defaults.get(property)));
    }

    /** A value whose whole text is {@code ${name}} is {@code name}'s effective value (as SmallRye Config resolves it). */
    private static String resolve(String value, Map<String, String> effective) {
        Matcher expression = EXPRESSION_WITHOUT_DEFAULT.matcher(value);
        if (expression.matches() && effective.containsKey(expression.group(1).trim())) {
            return effective.get(expression.group(1).trim());
        }
        return value;
    }

    /** Default-profile values (from a file, else the {@code @WithDefault}) of the properties ending with {@code suffix}. */
    public Map<String, String> valuesEndingWith(String suffix) {
        Map<String, String> found = new LinkedHashMap<>();
        Map<String, String> effective = new LinkedHashMap<>(defaults);
        effective.putAll(values);
        effective.forEach((key, value) -> {
            if (key.endsWith(suffix)) {
                found.put(key, resolve(value, effective));
            }
        });
        return found;
    }
}

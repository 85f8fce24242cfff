package io.cloudnexus.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Parsing YAML documents and walking the maps and lists SnakeYAML makes of them. */
final class Yaml {

    private Yaml() {}

    /** Every non-empty document of a (multi-document) YAML text. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String text) {
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml.loadAll(text)) {
            if (document instanceof Map<?, ?> map) {
                documents.add((Map<String, Object>) map);
            }
        }
        return documents;
    }

    /** The value at a dotted path of map keys ({@code spec.template.spec}); null when absent. */
    static Object at(Object node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String path) {
        Object value = at(node, path);
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object node, String path) {
        Object value = at(node, path);
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?>) {
                maps.add((Map<String, Object>) item);
            }
        }
        return maps;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String path) {
        Object value = at(node, path);
        return value instanceof List<?> ? (List<Object>) value : List.of();
    }

    static String string(Object node, String path) {
        Object value = at(node, path);
        return value == null ? null : String.valueOf(value);
    }
}

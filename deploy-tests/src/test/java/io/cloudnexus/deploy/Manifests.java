package io.cloudnexus.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The Kubernetes objects of one rendered overlay. */
record Manifests(String name, List<Map<String, Object>> objects) {

    static Manifests parse(String name, String yaml) {
        return new Manifests(name, Yaml.documents(yaml));
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).collect(Collectors.toList());
    }

    Optional<Map<String, Object>> find(String kind, String objectName) {
        return ofKind(kind).stream()
                .filter(o -> objectName.equals(Yaml.string(o, "metadata.name")))
                .findFirst();
    }

    Map<String, Object> get(String kind, String objectName) {
        return find(kind, objectName)
                .orElseThrow(() -> new AssertionError(name + ": no " + kind + " named " + objectName));
    }

    /** The data of the ConfigMap a container's {@code envFrom} names. */
    Map<String, Object> configMapData(String configMapName) {
        return Yaml.map(get("ConfigMap", configMapName), "data");
    }
}

package io.cloudnexus.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The invariants every CloudNexus Deployment must hold, as lists of violations (empty = fine), so
 * that tests can feed them both the real manifests and deliberately broken ones.
 */
final class WorkloadRules {

    /** Environment variables that carry secrets: in Kubernetes they must come from a Secret. */
    static final Pattern SECRET_ENV = Pattern.compile(".*(PASSWORD|SECRET|SECRET_KEY|BOOTSTRAP_KEY|TOKEN)$");

    private WorkloadRules() {}

    /**
     * Probes, resources, non-root security context, pinned image; for a CloudNexus service
     * ({@code port} = its quarkus.http.port) the container port and the Quarkus health paths, for
     * anything else (port null) the three probes of any kind.
     */
    static List<String> workload(Map<String, Object> deployment, Integer port) {
        String name = Yaml.string(deployment, "metadata.name");
        List<String> violations = new ArrayList<>();
        Map<String, Object> pod = Yaml.map(deployment, "spec.template.spec");
        boolean podNonRoot = Boolean.TRUE.equals(Yaml.at(pod, "securityContext.runAsNonRoot"));
        Object podUser = Yaml.at(pod, "securityContext.runAsUser");
        List<Map<String, Object>> containers = new ArrayList<>(Yaml.maps(pod, "containers"));
        if (containers.isEmpty()) {
            violations.add(name + ": no containers");
        }
        containers.addAll(Yaml.maps(pod, "initContainers"));
        for (Map<String, Object> container : containers) {
            String where = name + "/" + container.get("name");
            violations.addAll(image(where, Yaml.string(container, "image")));
            for (String resource : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
                if (Yaml.at(container, "resources." + resource) == null) {
                    violations.add(where + ": no resources." + resource);
                }
            }
            boolean nonRoot = podNonRoot || Boolean.TRUE.equals(Yaml.at(container, "securityContext.runAsNonRoot"));
            Object user = Objects.requireNonNullElse(
                    Yaml.at(container, "securityContext.runAsUser"), podUser == null ? -1 : podUser);
            if (!nonRoot) {
                violations.add(where + ": runAsNonRoot is not true");
            }
            if (Integer.valueOf(0).equals(user)) {
                violations.add(where + ": runs as user 0");
            }
            if (!Boolean.FALSE.equals(Yaml.at(container, "securityContext.allowPrivilegeEscalation"))) {
                violations.add(where + ": allowPrivilegeEscalation is not false");
            }
            if (!Yaml.list(container, "securityContext.capabilities.drop").contains("ALL")) {
                violations.add(where + ": capabilities do not drop ALL");
            }
        }
        if (!containers.isEmpty() && port != null) {
            violations.addAll(probesAndPort(name, containers.get(0), port));
        } else if (!containers.isEmpty()) {
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                if (Yaml.map(containers.get(0), probe).isEmpty()) {
                    violations.add(name + ": no " + probe);
                }
            }
        }
        return violations;
    }

    private static List<String> probesAndPort(String name, Map<String, Object> container, int port) {
        List<String> violations = new ArrayList<>();
        Set<Object> portRefs = new LinkedHashSet<>();
        boolean declared = false;
        for (Map<String, Object> p : Yaml.maps(container, "ports")) {
            if (Integer.valueOf(port).equals(p.get("containerPort"))) {
                declared = true;
                portRefs.add(port);
                if (p.get("name") != null) {
                    portRefs.add(p.get("name"));
                }
            }
        }
        if (!declared) {
            violations.add(name + ": no container port " + port + " (quarkus.http.port)");
        }
        Map<String, String> paths = Map.of(
                "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live",
                "startupProbe", "/q/health/started");
        paths.forEach((probe, path) -> {
            Object probePath = Yaml.at(container, probe + ".httpGet.path");
            Object probePort = Yaml.at(container, probe + ".httpGet.port");
            if (!path.equals(probePath)) {
                violations.add(name + ": " + probe + " path is " + probePath + ", expected " + path);
            }
            if (!portRefs.contains(probePort)) {
                violations.add(name + ": " + probe + " port " + probePort + " is not the HTTP port " + port);
            }
        });
        return violations;
    }

    /** An image reference with an explicit tag (or digest) that is not "latest". */
    static List<String> image(String where, String image) {
        if (image == null || image.isBlank()) {
            return List.of(where + ": no image");
        }
        if (image.contains("@sha256:")) {
            return List.of();
        }
        String lastSegment = image.substring(image.lastIndexOf('/') + 1);
        int colon = lastSegment.indexOf(':');
        if (colon < 0) {
            return List.of(where + ": image " + image + " has no tag");
        }
        if (lastSegment.substring(colon + 1).equals("latest")) {
            return List.of(where + ": image " + image + " uses the latest tag");
        }
        return List.of();
    }

    /**
     * Every environment variable of the Deployment's containers (literal, from a Secret, or a key of a
     * ConfigMap named in envFrom) configures a property the service reads; secrets come from Secrets.
     */
    static List<String> environment(Map<String, Object> deployment, Manifests manifests, ServiceConfiguration config) {
        String name = Yaml.string(deployment, "metadata.name");
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> container : Yaml.maps(deployment, "spec.template.spec.containers")) {
            Set<String> names = new LinkedHashSet<>();
            for (Map<String, Object> env : Yaml.maps(container, "env")) {
                String envName = String.valueOf(env.get("name"));
                names.add(envName);
                if (SECRET_ENV.matcher(envName).matches() && Yaml.at(env, "valueFrom.secretKeyRef") == null) {
                    violations.add(name + ": " + envName + " is a secret but does not come from a Secret");
                }
            }
            for (Map<String, Object> from : Yaml.maps(container, "envFrom")) {
                String configMap = Yaml.string(from, "configMapRef.name");
                if (configMap == null) {
                    violations.add(name + ": envFrom other than a ConfigMap (" + from + ")");
                    continue;
                }
                for (String key : manifests.configMapData(configMap).keySet()) {
                    names.add(key);
                    if (SECRET_ENV.matcher(key).matches()) {
                        violations.add(name + ": secret " + key + " is in ConfigMap " + configMap);
                    }
                }
            }
            for (String unknown : config.unknownEnv(names)) {
                violations.add(name + ": environment variable " + unknown + " matches no configuration property that "
                        + config.module() + " reads");
            }
        }
        return violations;
    }

    /**
     * Every {@code file:} location in the environment lies in a folder the container mounts (a key or
     * secret file, or a writable volume), so a path typo cannot leave a service without its key.
     */
    static List<String> fileLocationsAreMounted(Map<String, Object> deployment, Manifests manifests) {
        String name = Yaml.string(deployment, "metadata.name");
        List<String> violations = new ArrayList<>();
        Map<String, Object> container =
                Yaml.maps(deployment, "spec.template.spec.containers").get(0);
        Set<String> mounts = new LinkedHashSet<>();
        Yaml.maps(container, "volumeMounts").forEach(m -> mounts.add(Yaml.string(m, "mountPath")));
        literalEnvironment(deployment, manifests).forEach((env, value) -> {
            if (value.startsWith("file:")) {
                String path = value.substring("file:".length());
                String folder = path.substring(0, Math.max(0, path.lastIndexOf('/')));
                if (!mounts.contains(folder)) {
                    violations.add(name + ": " + env + "=" + value + " is not in a mounted folder " + mounts);
                }
            }
        });
        return violations;
    }

    /** The effective environment of a Deployment's first container (ConfigMap values, then env literals). */
    static Map<String, String> literalEnvironment(Map<String, Object> deployment, Manifests manifests) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        Map<String, Object> container =
                Yaml.maps(deployment, "spec.template.spec.containers").get(0);
        for (Map<String, Object> from : Yaml.maps(container, "envFrom")) {
            String configMap = Yaml.string(from, "configMapRef.name");
            if (configMap != null) {
                manifests.configMapData(configMap).forEach((k, v) -> values.put(k, String.valueOf(v)));
            }
        }
        for (Map<String, Object> env : Yaml.maps(container, "env")) {
            if (env.get("value") != null) {
                values.put(String.valueOf(env.get("name")), String.valueOf(env.get("value")));
            }
        }
        return values;
    }
}

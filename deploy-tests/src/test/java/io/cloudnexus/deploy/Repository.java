package io.cloudnexus.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The repository as the tests see it: its root, the service modules (the parent pom's modules that
 * build a Quarkus application) and which reactor modules a module depends on at run time.
 */
public final class Repository {

    private final Path root;

    public Repository(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The repository this test runs in ({@code cloudnexus.repo.root}, set by the pom; else the parent folder). */
    public static Repository current() {
        String configured = System.getProperty("cloudnexus.repo.root");
        Path root = configured != null
                ? Path.of(configured)
                : Path.of("").toAbsolutePath().getParent();
        if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
            throw new IllegalStateException("not the CloudNexus repository root (no docker-compose.yml): " + root);
        }
        return new Repository(root);
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** The parent pom's modules, in order. */
    public List<String> modules() {
        return texts(pom(root.resolve("pom.xml")), "module");
    }

    /** The modules that build a Quarkus application (quarkus-maven-plugin): the services that get deployed. */
    public List<String> serviceModules() {
        List<String> services = new ArrayList<>();
        for (String module : modules()) {
            Path pom = root.resolve(module).resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<artifactId>quarkus-maven-plugin</artifactId>")) {
                services.add(module);
            }
        }
        return services;
    }

    /**
     * {@code module} and the reactor modules it depends on outside test scope, transitively
     * (e.g. compute-service, contracts, service-common, event-store): their configuration is read by it.
     */
    public Set<String> runtimeModules(String module) {
        Set<String> result = new LinkedHashSet<>();
        collect(module, result);
        return result;
    }

    private void collect(String module, Set<String> into) {
        if (!into.add(module)) {
            return;
        }
        Document pom = pom(root.resolve(module).resolve("pom.xml"));
        NodeList dependencies = pom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String artifact = text(dependency, "artifactId");
            String scope = text(dependency, "scope");
            if ("test".equals(scope) || artifact == null) {
                continue;
            }
            if (Files.isRegularFile(root.resolve(artifact).resolve("pom.xml"))) {
                collect(artifact, into);
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document pom(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static List<String> texts(Document document, String tag) {
        List<String> values = new ArrayList<>();
        NodeList nodes = document.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent().trim());
        }
        return values;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }
}

package io.cloudnexus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each configuration default lives in one place: the {@code @WithDefault} of its {@code @ConfigMapping} (which
 * documents it). A properties file sets a typed property only to change it (a profile, a deployment's value), so
 * changing a default never needs two edits that can drift apart.
 */
class ConfigDefaultsTest {

    private final Repository repository = Repository.current();

    @Test
    void noPropertiesFileRepeatsADefault() {
        List<String> repeated = new ArrayList<>();
        for (String module : repository.serviceModules()) {
            repeated.addAll(ServiceConfiguration.of(repository, module).repeatedDefaults());
        }
        assertThat(repeated).as("properties set to their @WithDefault").isEmpty();
    }

    @Test
    void aRepeatedDefaultIsFoundAndAChangedOneIsNot(@TempDir Path root) throws IOException {
        Path module = root.resolve("demo-service");
        Files.createDirectories(module.resolve("src/main/java/demo"));
        Files.createDirectories(module.resolve("src/main/resources"));
        Files.writeString(
                root.resolve("pom.xml"), "<project><modules><module>demo-service</module></modules></project>");
        Files.writeString(module.resolve("pom.xml"), "<project><dependencies/></project>");
        Files.writeString(module.resolve("src/main/java/demo/DemoConfig.java"), """
                package demo;
                @ConfigMapping(prefix = "demo")
                public interface DemoConfig {
                    @WithDefault("5s")
                    Duration timeout();
                    @WithDefault(".*\\\\.events")
                    String topicPattern();
                    @WithDefault("8")
                    int lanes();
                }
                """);
        Files.writeString(
                module.resolve("src/main/resources/application.properties"),
                "demo.timeout=5s\ndemo.topic-pattern=.*\\\\.events\ndemo.lanes=16\n%test.demo.timeout=5s\n");

        ServiceConfiguration demo = ServiceConfiguration.of(new Repository(root), "demo-service");

        assertThat(demo.repeatedDefaults())
                .containsExactly(
                        "demo-service/src/main/resources/application.properties: demo.timeout=5s",
                        "demo-service/src/main/resources/application.properties: demo.topic-pattern=.*\\.events");
        assertThat(demo.value("demo.lanes")).contains("16");
    }
}

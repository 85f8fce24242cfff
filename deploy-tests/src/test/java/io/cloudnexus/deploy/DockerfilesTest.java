package io.cloudnexus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Every service has a JVM Dockerfile (fast-jar, pinned base, non-root, health check), and the build script builds them all. */
class DockerfilesTest {

    private final Repository repository = Repository.current();

    @Test
    void everyServiceHasAPinnedNonRootFastJarImageWithAHealthCheck() {
        List<String> services = repository.serviceModules();
        assertThat(services).isNotEmpty();
        for (String module : services) {
            Path file = repository.resolve(module).resolve("src/main/docker/Dockerfile.jvm");
            assertThat(file).as(module).isRegularFile();
            String dockerfile = Repository.read(file);
            String port = ServiceConfiguration.of(repository, module)
                    .value("quarkus.http.port")
                    .orElseThrow();

            Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(dockerfile);
            assertThat(from.find()).as(module + " FROM").isTrue();
            assertThat(WorkloadRules.image(module, from.group(1))).isEmpty();

            Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(dockerfile);
            String lastUser = null;
            while (user.find()) {
                lastUser = user.group(1);
            }
            assertThat(lastUser)
                    .as(module + " runs as a non-root user")
                    .isNotNull()
                    .isNotIn("root", "0");

            assertThat(dockerfile)
                    .as(module)
                    .contains("target/quarkus-app/lib/", "target/quarkus-app/app/", "target/quarkus-app/quarkus/")
                    .containsPattern("(?m)^EXPOSE\\s+" + port + "\\b")
                    .containsPattern("(?s)HEALTHCHECK.*http://127\\.0\\.0\\.1:" + port + "/q/health/ready");
        }
    }

    @Test
    void oneCommandBuildsEveryImage() {
        String script = Repository.read(repository.resolve("deploy/build-images.sh"));
        Matcher list = Pattern.compile("SERVICES=\\(([^)]*)\\)").matcher(script);
        assertThat(list.find()).isTrue();
        assertThat(List.of(list.group(1).trim().split("\\s+")))
                .containsExactlyInAnyOrderElementsOf(repository.serviceModules());
        assertThat(script).contains("src/main/docker/Dockerfile.jvm");
    }
}

package io.cloudnexus.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's files are read from a dependency jar on the class path (the console module's jar), not
 * only from the application's own resources; a jar's directory entries are never served as files.
 */
class ConsoleJarTest {

    @Test
    void filesAreReadFromAJarAndDirectoriesAreNot(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("console.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream entries = new JarOutputStream(out)) {
            for (String directory : new String[] {
                "META-INF/", "META-INF/resources/", "META-INF/resources/console/", "META-INF/resources/console/assets/"
            }) {
                entries.putNextEntry(new JarEntry(directory));
                entries.closeEntry();
            }
            entries.putNextEntry(new JarEntry("META-INF/resources/console/index.html"));
            entries.write("<!doctype html>jar-index".getBytes(StandardCharsets.UTF_8));
            entries.closeEntry();
            entries.putNextEntry(new JarEntry("META-INF/resources/console/assets/app-JAR.js"));
            entries.write("jar-script".getBytes(StandardCharsets.UTF_8));
            entries.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(ConsoleAssets.read(loader, "index.html"))
                    .hasValueSatisfying(b ->
                            assertThat(new String(b, StandardCharsets.UTF_8)).endsWith("jar-index"));
            assertThat(ConsoleAssets.read(loader, "assets/app-JAR.js"))
                    .hasValueSatisfying(b ->
                            assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("jar-script"));
            assertThat(ConsoleAssets.read(loader, "assets")).isEmpty();
            assertThat(ConsoleAssets.read(loader, "assets/missing.js")).isEmpty();
        }
    }
}

package io.cloudnexus.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** docs/consuming-events.md shows this module's real code: every snippet is found verbatim in its sources. */
class ConsumingEventsDocTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Pattern SNIPPET = Pattern.compile("```(?:java|properties)\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everySnippetOfTheDocIsTheExamplesCode() throws IOException {
        String doc = Files.readString(MODULE.resolve("../../docs/consuming-events.md"));
        List<String> snippets = new ArrayList<>();
        Matcher m = SNIPPET.matcher(doc);
        while (m.find()) {
            snippets.add(m.group(1));
        }
        String sources;
        try (Stream<Path> files = Files.walk(MODULE.resolve("src"))) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(f)).append('\n');
            }
            sources = all.toString();
        }
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(4);
        for (String snippet : snippets) {
            assertThat(sources).as("a snippet of docs/consuming-events.md").contains(snippet);
        }
    }
}

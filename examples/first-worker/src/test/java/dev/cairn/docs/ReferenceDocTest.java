package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md's examples are regions of {@link ReferenceExamples} (compiled) and {@link KitExamplesTest}
 * (run), and it names every operation of {@code DurableContext}.
 */
class ReferenceDocTest {

    static final String PAGE = "docs/reference.md";

    @Test
    void everySnippetOfThePageEqualsTheCodeItNames() throws IOException {
        assertThat(DocSnippets.snippets(PAGE)).hasSizeGreaterThan(10);
        DocSnippets.assertSnippetsMatchTheirSources(PAGE);
    }

    @Test
    void everyCodeBlockOfThePageIsASnippetOrACommandToType() throws IOException {
        DocSnippets.assertEveryBlockIsASnippetOrConsole(PAGE);
    }

    @Test
    void thePageHasASectionForEveryOperationOfTheContext() throws IOException {
        String page = Files.readString(DocSnippets.ROOT.resolve(PAGE));
        for (var method : dev.cairn.api.DurableContext.class.getMethods()) {
            assertThat(page).as("a heading naming DurableContext.%s", method.getName())
                    .containsPattern("(?m)^#+ .*`" + method.getName() + "\\b");
        }
    }

    @Test
    void workflowApisReadmePointsToThePage() throws IOException {
        assertThat(Files.readString(DocSnippets.ROOT.resolve("workflow-api/README.md")))
                .contains("(../docs/reference.md)")
                .doesNotContain("API document");
    }
}

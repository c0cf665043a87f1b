package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** docs/first-worker.md shows the files of this project, which the build compiles and tests. */
class FirstWorkerDocTest {

    static final String PAGE = "docs/first-worker.md";

    @Test
    void everySnippetOfThePageEqualsTheFileItNames() throws IOException {
        assertThat(DocSnippets.snippets(PAGE)).extracting(DocSnippets.Block::source).contains(
                "examples/first-worker/pom.xml",
                "examples/first-worker/src/main/java/com/example/worker/ExpenseApproval.java",
                "examples/first-worker/src/test/java/com/example/worker/ExpenseApprovalTest.java",
                "examples/first-worker/src/main/resources/application.yml",
                "examples/first-worker/src/main/resources/application-secured.yml");
        DocSnippets.assertSnippetsMatchTheirSources(PAGE);
    }

    @Test
    void everyCodeBlockOfThePageIsASnippetOrACommandToType() throws IOException {
        DocSnippets.assertEveryBlockIsASnippetOrConsole(PAGE);
    }

    @Test
    void theRootReadmeLinksThePage() throws IOException {
        assertThat(Files.readString(DocSnippets.ROOT.resolve("README.md"))).contains("(docs/first-worker.md)");
    }
}

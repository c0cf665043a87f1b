package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/first-worker.md shows the files of this project: every code block marked
 * {@code <!-- snippet: path[#region] -->} must equal that file (or the lines between {@code snippet:start region}
 * and {@code snippet:end region} in it), so the page shows what the build compiles and tests. Blocks of commands
 * to type are {@code console} blocks; any other block must be a snippet.
 */
class FirstWorkerDocTest {

    /** The repository root, seen from this module's directory (where Surefire runs the tests). */
    static final Path ROOT = Path.of("../..");
    static final Path DOC = ROOT.resolve("docs/first-worker.md");

    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- snippet: (\\S+?) -->\\n)?```(\\w*)\\n(.*?)\\n```", Pattern.DOTALL);

    record Block(String source, String language, String body) {
    }

    @Test
    void everySnippetOfThePageEqualsTheFileItNames() throws IOException {
        List<Block> snippets = blocks().stream().filter(b -> b.source() != null).toList();

        assertThat(snippets).extracting(Block::source).contains(
                "examples/first-worker/pom.xml",
                "examples/first-worker/src/main/java/com/example/worker/ExpenseApproval.java",
                "examples/first-worker/src/test/java/com/example/worker/ExpenseApprovalTest.java",
                "examples/first-worker/src/main/resources/application.yml",
                "examples/first-worker/src/main/resources/application-secured.yml");
        for (Block snippet : snippets) {
            assertThat(snippet.body()).as("the snippet of %s in %s", snippet.source(), DOC)
                    .isEqualTo(sourceOf(snippet.source()));
        }
    }

    @Test
    void everyCodeBlockOfThePageIsASnippetOrACommandToType() throws IOException {
        assertThat(blocks()).allSatisfy(block -> assertThat(block.source() != null
                || block.language().equals("console")).as("a code block neither marked as a snippet nor a console "
                + "block:%n%s", block.body()).isTrue());
    }

    @Test
    void theRootReadmeLinksThePage() throws IOException {
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("(docs/first-worker.md)");
    }

    static List<Block> blocks() throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(DOC));
        List<Block> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2), m.group(3)));
        }
        return blocks;
    }

    static String sourceOf(String reference) throws IOException {
        int hash = reference.indexOf('#');
        String path = hash < 0 ? reference : reference.substring(0, hash);
        String text = Files.readString(ROOT.resolve(path)).stripTrailing();
        if (hash < 0) {
            return text;
        }
        String region = reference.substring(hash + 1);
        Matcher m = Pattern.compile("# snippet:start " + Pattern.quote(region) + "\\n(.*?)\\n# snippet:end "
                + Pattern.quote(region) + "\\n", Pattern.DOTALL).matcher(text + "\n");
        assertThat(m.find()).as("region %s in %s", region, path).isTrue();
        return m.group(1);
    }
}

package dev.cairn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of a page of docs/. A block preceded by {@code <!-- snippet: path[#region] -->} shows that file
 * of the repository, or the lines between {@code snippet:start region} and {@code snippet:end region} (after a
 * {@code #} or {@code //}) in it, without their common indentation.
 */
final class DocSnippets {

    /** The repository root, seen from this module's directory (where Surefire runs the tests). */
    static final Path ROOT = Path.of("../..");

    private static final Pattern BLOCK = Pattern.compile(
            "(?:<!-- snippet: (\\S+?) -->\\n)?```(\\w*)\\n(.*?)\\n```", Pattern.DOTALL);

    record Block(String source, String language, String body) {
    }

    private DocSnippets() {
    }

    static List<Block> blocks(String page) throws IOException {
        Matcher m = BLOCK.matcher(Files.readString(ROOT.resolve(page)));
        List<Block> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2), m.group(3)));
        }
        return blocks;
    }

    static List<Block> snippets(String page) throws IOException {
        return blocks(page).stream().filter(b -> b.source() != null).toList();
    }

    /** Every snippet of the page equals what it names. */
    static void assertSnippetsMatchTheirSources(String page) throws IOException {
        for (Block snippet : snippets(page)) {
            assertThat(snippet.body()).as("the snippet of %s in %s", snippet.source(), page)
                    .isEqualTo(sourceOf(snippet.source()));
        }
    }

    /** Every block of the page is a snippet, or a {@code console} block (commands to type, answers to expect). */
    static void assertEveryBlockIsASnippetOrConsole(String page) throws IOException {
        assertThat(blocks(page)).allSatisfy(block -> assertThat(block.source() != null
                || block.language().equals("console")).as("a code block of %s neither marked as a snippet nor a "
                + "console block:%n%s", page, block.body()).isTrue());
    }

    static String sourceOf(String reference) throws IOException {
        int hash = reference.indexOf('#');
        String path = hash < 0 ? reference : reference.substring(0, hash);
        String text = Files.readString(ROOT.resolve(path)).stripTrailing();
        if (hash < 0) {
            return text;
        }
        String region = Pattern.quote(reference.substring(hash + 1));
        Matcher m = Pattern.compile("(?m)^[ \\t]*(?:#|//) snippet:start " + region + "\\n(.*?)\\n[ \\t]*(?:#|//) "
                + "snippet:end " + region + "$", Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as("region %s in %s", reference, path).isTrue();
        return m.group(1).stripIndent().stripTrailing();
    }
}

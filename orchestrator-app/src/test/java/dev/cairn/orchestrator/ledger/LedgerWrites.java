package dev.cairn.orchestrator.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds SQL text that writes the ledger's tables ({@code executions}, {@code operations}, {@code history_events},
 * {@code timers}) in Java sources outside the ledger's package. ArchUnit sees types and calls, not the text of a
 * statement, so this reads the sources: an {@code INSERT INTO}, {@code UPDATE}, {@code DELETE FROM},
 * {@code MERGE INTO} or {@code TRUNCATE} of one of those tables, in any case and spread over lines, is a write.
 */
final class LedgerWrites {

    /** The tables the ledger owns. */
    static final List<String> TABLES = List.of("executions", "operations", "history_events", "timers");

    private static final Pattern WRITE = Pattern.compile(
            "\\b(insert\\s+into|update|delete\\s+from|merge\\s+into|truncate(\\s+table)?)\\s+(only\\s+)?("
                    + String.join("|", TABLES) + ")\\b",
            Pattern.CASE_INSENSITIVE);

    private LedgerWrites() {
    }

    /**
     * The writes found under {@code sources} (a source root such as {@code src/main/java}) outside
     * {@code ledgerPackage} (a path relative to it), as {@code file:line: text}, except in the files of
     * {@code allowed} (paths relative to the root).
     */
    static List<String> outside(Path sources, String ledgerPackage, Set<String> allowed) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String relative = sources.relativize(file).toString().replace('\\', '/');
                if (relative.startsWith(ledgerPackage + "/") || allowed.contains(relative)) {
                    continue;
                }
                String text = Files.readString(file);
                Matcher m = WRITE.matcher(text);
                while (m.find()) {
                    found.add(relative + ":" + line(text, m.start()) + ": " + m.group().replaceAll("\\s+", " "));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static int line(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}

package dev.cairn.helm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every value in a chart's values.yaml is documented: a key is documented when a comment sits right above it, or
 * when it is a group whose keys are all documented.
 */
class ValuesDocumentationTest {

    private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.\\-/]+):(.*)$");

    private record Key(String path, int indent, boolean commented, List<Key> children) {

        boolean documented() {
            return commented || (!children.isEmpty() && children.stream().allMatch(Key::documented));
        }

        void collectUndocumented(List<String> into) {
            if (documented()) {
                return;
            }
            if (children.isEmpty()) {
                into.add(path);
            } else {
                children.forEach(child -> child.collectUndocumented(into));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cairn", "cairn-worker"})
    void everyValueIsDocumented(String chart) throws IOException {
        HelmChart helmChart = HelmChart.named(chart);
        List<String> lines = Files.readAllLines(helmChart.directory().resolve("values.yaml"));

        List<Key> roots = new ArrayList<>();
        List<Key> stack = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher matcher = KEY.matcher(lines.get(i));
            if (!matcher.matches() || lines.get(i).stripLeading().startsWith("#")) {
                continue;
            }
            int indent = matcher.group(1).length();
            while (!stack.isEmpty() && stack.get(stack.size() - 1).indent() >= indent) {
                stack.remove(stack.size() - 1);
            }
            String parentPath = stack.isEmpty() ? "" : stack.get(stack.size() - 1).path() + ".";
            boolean commented = i > 0 && lines.get(i - 1).stripLeading().startsWith("#");
            Key key = new Key(parentPath + matcher.group(2), indent, commented, new ArrayList<>());
            (stack.isEmpty() ? roots : stack.get(stack.size() - 1).children()).add(key);
            stack.add(key);
        }

        List<String> undocumented = new ArrayList<>();
        roots.forEach(root -> root.collectUndocumented(undocumented));
        assertThat(roots).hasSizeGreaterThan(20);
        assertThat(undocumented).as("values without a comment in %s/values.yaml", chart).isEmpty();
    }
}

package dev.cairn.orchestrator.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class UnicodeTextTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void findsLoneSurrogatesButNotPairs() {
        assertThat(UnicodeText.loneSurrogateAt("plain, é, 😀")).isEqualTo(-1);
        assertThat(UnicodeText.loneSurrogateAt("a\ud800")).isEqualTo(1);
        assertThat(UnicodeText.loneSurrogateAt("a\udc00b")).isEqualTo(1);
        assertThat(UnicodeText.loneSurrogateAt("\udc00\ud800")).isZero();
        assertThat(UnicodeText.loneSurrogateAt(null)).isEqualTo(-1);
    }

    @Test
    void findsLoneSurrogatesWrittenAsEscapesInJsonText() {
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"\\ud83d\\ude00\"")).isEqualTo(-1);
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"\\uD83D\\uDE00 \\u00e9 \\n\"")).isEqualTo(-1);
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"\\ud800\"")).isEqualTo(1);
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"\\ud800x\"")).isEqualTo(1);
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"\\ud800\\u0041\"")).isEqualTo(1);
        assertThat(UnicodeText.loneSurrogateInJsonAt("[\"\\udc00\"]")).isEqualTo(2);
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"\\ud800")).isEqualTo(1);
        // an escaped backslash followed by "ud800" is text, not an escape
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"\\\\ud800\"")).isEqualTo(-1);
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"x\ud800\"")).isEqualTo(2);
        assertThat(UnicodeText.loneSurrogateInJsonAt("\"\\u12\"")).isEqualTo(-1);
    }

    @Test
    void namesWhereInATreeTheFirstOneIs() {
        assertThat(UnicodeText.loneSurrogateIn(JSON.readTree("{\"a\":[1,{\"b\":\"ok\"}],\"c\":\"😀\"}"), "input"))
                .isNull();
        assertThat(UnicodeText.loneSurrogateIn(JSON.readTree("{\"a\":[1,{\"b\":\"\\ud800\"}]}"), "input"))
                .isEqualTo("input.a[1].b");
        assertThat(UnicodeText.loneSurrogateIn(JSON.readTree("\"\\udfff\""), "body")).isEqualTo("body");
    }
}

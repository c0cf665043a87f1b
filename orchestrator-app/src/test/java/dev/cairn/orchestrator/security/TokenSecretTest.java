package dev.cairn.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TokenSecretTest {

    @Test
    void readsTheSha256FormAndMatchesOnlyItsToken() {
        TokenSecret secret = TokenSecret.parse(TokenSecret.sha256Form("s3cret-token"));

        assertThat(secret.matches(TokenSecret.digest("s3cret-token"))).isTrue();
        assertThat(secret.matches(TokenSecret.digest("s3cret-tokeN"))).isFalse();
        assertThat(secret.matches(TokenSecret.digest(""))).isFalse();
    }

    @Test
    void readsTheSha256FormInUpperCaseHex() {
        String hex = HexFormat.of().formatHex(TokenSecret.digest("abc")).toUpperCase();

        assertThat(TokenSecret.parse("{SHA256}" + hex).matches(TokenSecret.digest("abc"))).isTrue();
    }

    @Test
    void readsTheNoopForm() {
        TokenSecret secret = TokenSecret.parse("{noop}local-token");

        assertThat(secret.matches(TokenSecret.digest("local-token"))).isTrue();
        assertThat(secret.matches(TokenSecret.digest("local-token "))).isFalse();
    }

    @Test
    void refusesMalformedSecretsWithoutRepeatingThem() {
        assertThatThrownBy(() -> TokenSecret.parse("plain-text-secret"))
                .hasMessageContaining("{sha256} or {noop}").hasMessageNotContaining("plain-text-secret");
        assertThatThrownBy(() -> TokenSecret.parse("{sha256}abcd")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> TokenSecret.parse("{noop}")).hasMessageContaining("followed by the token");
        assertThatThrownBy(() -> TokenSecret.parse(" ")).hasMessageContaining("missing");
    }

    @Test
    void comparesDigestsNotTokensSoAPrefixOfTheTokenGetsNoCloser() {
        byte[] real = TokenSecret.digest("prefix-shared-token-1");
        byte[] nearMiss = TokenSecret.digest("prefix-shared-token-2");

        // the digests of two tokens that share all but one character share no meaningful prefix
        assertThat(real).hasSize(32);
        assertThat(Arrays.mismatch(real, nearMiss)).isLessThan(4);
    }

    @Test
    void refusesADigestThatDiffersInAnyByte() {
        TokenSecret secret = TokenSecret.parse(TokenSecret.sha256Form("some-token"));
        byte[] digest = TokenSecret.digest("some-token");
        for (int i = 0; i < digest.length; i++) {
            byte[] differs = digest.clone();
            differs[i] ^= 1;
            assertThat(secret.matches(differs)).as("byte %d", i).isFalse();
        }
        assertThat(secret.matches(new byte[31])).isFalse();
        assertThat(secret.matches(digest)).isTrue();
    }
}

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
    void takesAboutTheSameTimeWhereverTheDigestsDiffer() {
        TokenSecret secret = TokenSecret.parse(TokenSecret.sha256Form("timing-token"));
        byte[] digest = TokenSecret.digest("timing-token");
        byte[] firstByteDiffers = digest.clone();
        firstByteDiffers[0] ^= 1;
        byte[] lastByteDiffers = digest.clone();
        lastByteDiffers[31] ^= 1;

        for (int i = 0; i < 200_000; i++) {
            secret.matches(firstByteDiffers);
            secret.matches(lastByteDiffers);
        }
        long early = median(secret, firstByteDiffers);
        long late = median(secret, lastByteDiffers);

        // an early-exit comparison would be several times faster on the first byte; MessageDigest.isEqual is not
        assertThat((double) late / Math.max(1, early)).isBetween(0.2, 5.0);
    }

    private static long median(TokenSecret secret, byte[] candidate) {
        long[] samples = new long[51];
        for (int s = 0; s < samples.length; s++) {
            long start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                secret.matches(candidate);
            }
            samples[s] = System.nanoTime() - start;
        }
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }
}

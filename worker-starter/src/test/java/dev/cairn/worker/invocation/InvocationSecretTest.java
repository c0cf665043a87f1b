package dev.cairn.worker.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InvocationSecretTest {

    @Test
    void aGeneratedSecretIs256RandomBitsInUrlSafeBase64WithoutPadding() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String value = InvocationSecret.generate().value();
            assertThat(value).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(value)).hasSize(32);
            seen.add(value);
        }
        assertThat(seen).hasSize(100);
    }

    @Test
    void isPresentedOnlyByExactlyBearerAndTheSecret() {
        InvocationSecret secret = new InvocationSecret("abcdefghijklmnopqrstuvwxyz012345");

        assertThat(secret.isPresentedBy("Bearer abcdefghijklmnopqrstuvwxyz012345")).isTrue();
        assertThat(secret.isPresentedBy(List.of("Bearer abcdefghijklmnopqrstuvwxyz012345"))).isTrue();

        assertThat(secret.isPresentedBy((String) null)).isFalse();
        assertThat(secret.isPresentedBy("")).isFalse();
        assertThat(secret.isPresentedBy("Bearer")).isFalse();
        assertThat(secret.isPresentedBy("Bearer ")).isFalse();
        assertThat(secret.isPresentedBy("abcdefghijklmnopqrstuvwxyz012345")).isFalse();
        assertThat(secret.isPresentedBy("bearer abcdefghijklmnopqrstuvwxyz012345")).isFalse();
        assertThat(secret.isPresentedBy("Basic abcdefghijklmnopqrstuvwxyz012345")).isFalse();
        assertThat(secret.isPresentedBy("Bearer abcdefghijklmnopqrstuvwxyz01234")).isFalse();
        assertThat(secret.isPresentedBy("Bearer abcdefghijklmnopqrstuvwxyz0123456")).isFalse();
        assertThat(secret.isPresentedBy("Bearer Abcdefghijklmnopqrstuvwxyz012345")).isFalse();
        assertThat(secret.isPresentedBy("Bearer  abcdefghijklmnopqrstuvwxyz012345")).isFalse();
        assertThat(secret.isPresentedBy((List<String>) null)).isFalse();
        assertThat(secret.isPresentedBy(List.of())).isFalse();
        assertThat(secret.isPresentedBy(List.of("Bearer abcdefghijklmnopqrstuvwxyz012345",
                "Bearer abcdefghijklmnopqrstuvwxyz012345"))).as("two Authorization headers").isFalse();
    }

    @Test
    void refusesSecretsTooShortOrOutsideUrlSafeBase64() {
        assertThatThrownBy(() -> new InvocationSecret("tooShort")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvocationSecret("abcdefghijklmnopqrstuvwxyz 12345"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InvocationSecret("a".repeat(513))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new InvocationSecret("a".repeat(22)).value()).hasSize(22);
    }

    @Test
    void doesNotShowTheSecretInToString() {
        InvocationSecret secret = InvocationSecret.generate();

        assertThat(secret.toString()).doesNotContain(secret.value()).contains("****");
    }
}

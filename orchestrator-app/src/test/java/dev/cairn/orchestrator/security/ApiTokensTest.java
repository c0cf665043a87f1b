package dev.cairn.orchestrator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.ConfigTreePropertySource;
import org.springframework.core.env.StandardEnvironment;

class ApiTokensTest {

    private static SecurityProperties.Token token(String name, String secret, Role... roles) {
        return new SecurityProperties.Token(name, secret, List.of(roles));
    }

    @Test
    void refusesToRunWithNoTokenUnlessOpen() {
        assertThatThrownBy(() -> ApiTokens.of(new SecurityProperties(false, List.of())))
                .isInstanceOf(NoApiTokensException.class)
                .hasMessageContaining("cairn.security.tokens").hasMessageContaining("cairn.security.open");

        assertThat(ApiTokens.of(new SecurityProperties(true, List.of())).open()).isTrue();
    }

    @Test
    void authenticatesEachTokenByItsSecret() {
        ApiTokens tokens = ApiTokens.of(new SecurityProperties(false, List.of(
                token("ops", TokenSecret.sha256Form("ops-token"), Role.ADMIN),
                token("ci", "{noop}ci-token", Role.CLIENT, Role.READ))));

        assertThat(tokens.authenticate("ops-token")).get().extracting(ApiToken::name).isEqualTo("ops");
        assertThat(tokens.authenticate("ci-token")).get().extracting(ApiToken::name).isEqualTo("ci");
        assertThat(tokens.authenticate("nope")).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
    }

    @Test
    void adminGrantsEveryRoleAndOtherRolesOnlyThemselves() {
        ApiToken admin = new ApiToken("a", TokenSecret.parse("{noop}a"), java.util.Set.of(Role.ADMIN));
        ApiToken reader = new ApiToken("r", TokenSecret.parse("{noop}r"), java.util.Set.of(Role.READ));

        for (Role role : Role.values()) {
            assertThat(admin.grants(role)).isTrue();
            assertThat(reader.grants(role)).isEqualTo(role == Role.READ);
        }
    }

    @Test
    void namesTheBrokenTokenWithoutItsSecret() {
        assertThatThrownBy(() -> ApiTokens.of(new SecurityProperties(false,
                List.of(token("ops", "hunter2", Role.ADMIN)))))
                .hasMessageContaining("cairn.security.tokens[0].secret").hasMessageContaining("'ops'")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ApiTokens.of(new SecurityProperties(false,
                List.of(token("ops", "{noop}x")))))
                .hasMessageContaining("roles");
        assertThatThrownBy(() -> ApiTokens.of(new SecurityProperties(false,
                List.of(token("ops", "{noop}x", Role.READ), token("ops", "{noop}y", Role.READ)))))
                .hasMessageContaining("used by another token");
    }

    @Test
    void bindsTokensFromAMountedKubernetesSecretThroughAConfigTree(@TempDir Path dir) throws IOException {
        // a Secret mounted as a volume: one file per key, keys named like the properties
        Files.writeString(dir.resolve("cairn.security.tokens.0.name"), "ops");
        Files.writeString(dir.resolve("cairn.security.tokens.0.secret"), TokenSecret.sha256Form("from-k8s") + "\n");
        Files.writeString(dir.resolve("cairn.security.tokens.0.roles"), "admin,read");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new ConfigTreePropertySource("secrets", dir,
                ConfigTreePropertySource.Option.AUTO_TRIM_TRAILING_NEW_LINE));

        SecurityProperties properties = new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("cairn.security", SecurityProperties.class);

        ApiTokens tokens = ApiTokens.of(properties);
        assertThat(tokens.authenticate("from-k8s")).get().satisfies(t -> {
            assertThat(t.name()).isEqualTo("ops");
            assertThat(t.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.READ);
        });
    }

    @Test
    void keepsSecretsOutOfToString() {
        assertThat(token("ops", "{noop}hunter2", Role.ADMIN).toString()).doesNotContain("hunter2");
        assertThat(TokenSecret.parse("{noop}hunter2").toString()).doesNotContain("hunter2");
    }
}

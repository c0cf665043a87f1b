package dev.cairn.helm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Values that cannot work stop the rendering (install, upgrade, template) with a message saying what to fix. */
class OrchestratorChartValidationTest {

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                arguments("no datasource secret", """
                        database:
                          existingSecret: ""
                        """, "database.existingSecret is required"),
                arguments("no replicas", """
                        replicaCount: 0
                        """, "replicaCount must be at least 1 (got 0)"),
                arguments("migrations Job without image", """
                        migrations:
                          image:
                            repository: ""
                        """, "migrations.enabled is true but migrations.image.repository is empty"),
                arguments("HPA minimum above maximum", """
                        autoscaling:
                          enabled: true
                          minReplicas: 5
                          maxReplicas: 3
                        """, "autoscaling.minReplicas (5) must not be greater than autoscaling.maxReplicas (3)"),
                arguments("HPA minimum of zero", """
                        autoscaling:
                          enabled: true
                          minReplicas: 0
                        """, "autoscaling.minReplicas must be at least 1"),
                arguments("HPA without a target", """
                        autoscaling:
                          enabled: true
                          targetCPUUtilizationPercentage: ""
                        """, "autoscaling.enabled needs autoscaling.targetCPUUtilizationPercentage"),
                arguments("no tokens", """
                        security:
                          tokens: []
                        """, "security.tokens is empty: the orchestrator refuses to start without API tokens"),
                arguments("token without roles", """
                        security:
                          tokens:
                            - {name: ops, existingSecret: api-tokens, secretKey: ops}
                        """, "security.tokens[0] (ops) has no roles"),
                arguments("token with empty roles", """
                        security:
                          tokens:
                            - {name: ops, roles: [], existingSecret: api-tokens, secretKey: ops}
                        """, "security.tokens[0] (ops) has no roles"),
                arguments("token with an unknown role", """
                        security:
                          tokens:
                            - {name: ops, roles: [read], existingSecret: api-tokens, secretKey: ops}
                            - {name: ci, roles: [client, superuser], existingSecret: api-tokens, secretKey: ci}
                        """, "security.tokens[1] (ci) has the unknown role \"superuser\""),
                arguments("token without a name", """
                        security:
                          tokens:
                            - {roles: [read], existingSecret: api-tokens, secretKey: ops}
                        """, "security.tokens[0] needs a name"),
                arguments("two tokens with one name", """
                        security:
                          tokens:
                            - {name: ops, roles: [read], existingSecret: api-tokens, secretKey: ops}
                            - {name: ops, roles: [admin], existingSecret: api-tokens, secretKey: admin}
                        """, "security.tokens[1]: the name \"ops\" is used twice"),
                arguments("token without a secret", """
                        security:
                          tokens:
                            - {name: ops, roles: [read]}
                        """, "security.tokens[0] (ops) needs existingSecret and secretKey"),
                arguments("token with a Secret but no key", """
                        security:
                          tokens:
                            - {name: ops, roles: [read], existingSecret: api-tokens}
                        """, "security.tokens[0] (ops) names existingSecret api-tokens but no secretKey"),
                arguments("token with both a Secret and an inline hash", """
                        security:
                          tokens:
                            - name: ops
                              roles: [read]
                              existingSecret: api-tokens
                              secretKey: ops
                              secretHash: "{sha256}9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                        """, "security.tokens[0] (ops): set secretHash or existingSecret, not both"),
                arguments("token given in clear instead of a hash", """
                        security:
                          tokens:
                            - {name: ops, roles: [read], secretHash: my-plain-token}
                        """, "secretHash must be \"{sha256}\" followed by 64 lowercase hex digits"),
                arguments("API and actuator on one port", """
                        containerPorts:
                          management: 8080
                        """, "containerPorts.http and containerPorts.management must differ"),
                arguments("PDB with both bounds", """
                        podDisruptionBudget:
                          minAvailable: 1
                        """, "podDisruptionBudget: set minAvailable or maxUnavailable, not both"),
                arguments("Ingress without hosts", """
                        ingress:
                          enabled: true
                          hosts: []
                        """, "ingress.enabled needs at least one entry in ingress.hosts"),
                arguments("unknown anti-affinity preset", """
                        podAntiAffinity: sometimes
                        """, "podAntiAffinity must be soft, hard or none"),
                arguments("misspelt top-level value (schema)", """
                        replicas: 3
                        """, "Additional property replicas is not allowed"),
                arguments("replicas given as text (schema)", """
                        replicaCount: two
                        """, "replicaCount"),
                arguments("unknown log format (schema)", """
                        logFormat: xml
                        """, "logFormat"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void refusesToRender(String problem, String values, String message) {
        assertThatThrownBy(() -> HelmChart.ORCHESTRATOR.renderYaml(values))
                .hasMessageContaining(message);
    }
}

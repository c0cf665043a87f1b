package dev.cairn.helm;

import static org.assertj.core.api.Assertions.assertThat;

/** The hardening every Cairn pod template must carry. */
final class HardenedPod {

    private HardenedPod() {
    }

    /**
     * Asserts non-root, RuntimeDefault seccomp, no privilege escalation, no capabilities, a read-only root file
     * system with a writable emptyDir on /tmp, no service account token, and no service-link variables (which
     * Spring would read as properties).
     */
    static void assertHardened(Node podSpec, String containerName) {
        assertThat(podSpec.at("securityContext.runAsNonRoot").value()).isEqualTo(true);
        assertThat(podSpec.string("securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
        assertThat(podSpec.at("automountServiceAccountToken").value()).isEqualTo(false);
        assertThat(podSpec.at("enableServiceLinks").value()).isEqualTo(false);

        Node container = podSpec.at("containers[name=" + containerName + "]");
        Node securityContext = container.at("securityContext");
        assertThat(securityContext.at("runAsNonRoot").value()).isEqualTo(true);
        assertThat(securityContext.at("allowPrivilegeEscalation").value()).isEqualTo(false);
        assertThat(securityContext.at("readOnlyRootFilesystem").value()).isEqualTo(true);
        assertThat(securityContext.at("privileged").value()).isEqualTo(false);
        assertThat(securityContext.list("capabilities.drop")).extracting(Node::value).containsExactly("ALL");
        assertThat(securityContext.has("capabilities.add")).isFalse();

        assertThat(container.string("volumeMounts[mountPath=/tmp].name")).isEqualTo("tmp");
        assertThat(podSpec.has("volumes[name=tmp].emptyDir")).isTrue();
    }
}

package dev.cairn.helm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerChartTest {

    private static final HelmChart CHART = HelmChart.WORKER;

    @Test
    void runsTwoDemoWorkersWithAServiceAndADisruptionBudget() {
        Manifests manifests = CHART.render();

        assertThat(manifests.kinds()).containsExactlyInAnyOrder(
                "ServiceAccount", "Service", "Deployment", "PodDisruptionBudget");
        Node deployment = manifests.single("Deployment");
        assertThat(deployment.name()).isEqualTo("demo-cairn-worker");
        assertThat(deployment.at("spec.replicas").value()).isEqualTo(2);
        assertThat(deployment.string("spec.template.spec.containers[name=worker].image"))
                .isEqualTo("cairn/demo-worker:0.1.0");
        assertThat(manifests.single("PodDisruptionBudget").map("spec.selector.matchLabels"))
                .isEqualTo(deployment.map("spec.selector.matchLabels"));
    }

    @Test
    void advertisesThePodIpFromTheDownwardApi() {
        Node container = CHART.render().single("Deployment").at("spec.template.spec.containers[name=worker]");

        assertThat(container.string("env[name=POD_IP].valueFrom.fieldRef.fieldPath")).isEqualTo("status.podIP");
        assertThat(container.string("env[name=CAIRN_WORKER_ADVERTISED_URL].value")).isEqualTo("http://$(POD_IP):8081");
        assertThat(container.string("env[name=CAIRN_WORKER_WORKER_ID].value")).isEqualTo("$(POD_NAME)");
        assertThat(container.string("env[name=POD_NAME].valueFrom.fieldRef.fieldPath")).isEqualTo("metadata.name");
        assertThat(container.list("env")).extracting(e -> e.string("name"))
                .as("Kubernetes expands $(POD_IP) only from variables defined before it")
                .containsSubsequence("POD_IP", "CAIRN_WORKER_ADVERTISED_URL")
                .containsSubsequence("POD_NAME", "CAIRN_WORKER_WORKER_ID");
    }

    @Test
    void reachesTheOrchestratorWithATokenFromASecret() {
        Node container = CHART.render().single("Deployment").at("spec.template.spec.containers[0]");

        assertThat(container.string("env[name=CAIRN_WORKER_ORCHESTRATOR_URL].value")).isEqualTo("http://cairn:8080");
        assertThat(container.has("env[name=CAIRN_WORKER_TOKEN].value")).isFalse();
        assertThat(container.map("env[name=CAIRN_WORKER_TOKEN].valueFrom.secretKeyRef"))
                .containsEntry("name", "cairn-worker-token").containsEntry("key", "token");
        assertThat(container.string("env[name=CAIRN_WORKER_MAX_CONCURRENCY].value")).isEqualTo("64");
    }

    @Test
    void probesTheActuatorHealthGroupsOnTheManagementPort() {
        Node container = CHART.render().single("Deployment").at("spec.template.spec.containers[0]");

        assertThat(container.at("ports[name=http].containerPort").value()).isEqualTo(8081);
        assertThat(container.at("ports[name=management].containerPort").value()).isEqualTo(9091);
        assertThat(container.string("livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(container.string("livenessProbe.httpGet.port")).isEqualTo("management");
        assertThat(container.string("readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(container.string("readinessProbe.httpGet.port")).isEqualTo("management");
        assertThat(container.string("env[name=MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED].value")).isEqualTo("true");
    }

    @Test
    void hardensTheWorkerPod() {
        HardenedPod.assertHardened(CHART.render().single("Deployment").at("spec.template.spec"), "worker");
    }

    @Test
    void followsTheConfiguredPortsImageAndMonitoring() {
        Manifests manifests = CHART.renderWith(CHART.ciValues("full"));
        Node pod = manifests.single("Deployment").at("spec.template.spec");
        Node container = pod.at("containers[0]");

        assertThat(container.string("image")).isEqualTo("registry.example.com/shop/order-worker:2.3.1");
        assertThat(container.string("env[name=CAIRN_WORKER_ADVERTISED_URL].value")).isEqualTo("http://$(POD_IP):8090");
        assertThat(container.string("env[name=SERVER_PORT].value")).isEqualTo("8090");
        assertThat(container.string("env[name=MANAGEMENT_SERVER_PORT].value")).isEqualTo("9095");
        assertThat(container.string("env[name=CAIRN_WORKER_TOKEN].valueFrom.secretKeyRef.name"))
                .isEqualTo("shop-worker-token");
        assertThat(pod.has("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution")).isTrue();
        Node monitor = manifests.single("ServiceMonitor");
        assertThat(monitor.string("spec.endpoints[0].port")).isEqualTo("management");
        assertThat(monitor.string("spec.endpoints[0].path")).isEqualTo("/actuator/prometheus");
        assertThat(CHART.render().has("ServiceMonitor")).isFalse();
    }

    @Test
    void printsNotesAboutRegistrationAndTheToken() {
        assertThat(CHART.installNotes()).contains("http://cairn:8080", "cairn-worker-token", "<pod IP>:8081");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "token.existingSecret=       | token.existingSecret is required",
            "orchestrator.url=           | orchestrator.url must be the orchestrator's base URL",
            "orchestrator.url=cairn:8080 | orchestrator.url must be the orchestrator's base URL",
            "replicaCount=0              | replicaCount must be at least 1",
            "worker.maxConcurrency=0     | worker.maxConcurrency must be at least 1",
            "containerPorts.http=9091    | containerPorts.http and containerPorts.management must differ",
            "image.repository=           | image.repository is required",
    })
    void refusesValuesThatCannotWork(String assignment, String message) {
        assertThatThrownBy(() -> CHART.render(assignment.strip())).hasMessageContaining(message);
    }
}

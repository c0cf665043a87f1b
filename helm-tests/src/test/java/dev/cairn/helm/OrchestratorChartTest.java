package dev.cairn.helm;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OrchestratorChartTest {

    private static final HelmChart CHART = HelmChart.ORCHESTRATOR;

    @Test
    void rendersTheCoreObjectsAndNoOptionalOnesByDefault() {
        Manifests manifests = CHART.render();

        assertThat(manifests.kinds()).containsExactlyInAnyOrder(
                "ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "Job");
        assertThat(manifests.objects()).allSatisfy(o -> {
            assertThat(o.string("metadata.namespace")).isEqualTo("cairn");
            assertThat(o.map("metadata.labels")).containsEntry("app.kubernetes.io/instance", "prod")
                    .containsKey("helm.sh/chart");
        });
    }

    @Test
    void runsTwoReplicasOfTheOrchestratorImageByDefault() {
        Node deployment = CHART.render().single("Deployment");

        assertThat(deployment.name()).isEqualTo("prod-cairn");
        assertThat(deployment.at("spec.replicas").value()).isEqualTo(2);
        assertThat(deployment.string("spec.template.spec.containers[name=orchestrator].image"))
                .isEqualTo("cairn/orchestrator-app:0.1.0");
        assertThat(CHART.render("replicaCount=5", "image.tag=1.2.3").single("Deployment"))
                .satisfies(d -> assertThat(d.at("spec.replicas").value()).isEqualTo(5))
                .satisfies(d -> assertThat(d.string("spec.template.spec.containers[0].image"))
                        .isEqualTo("cairn/orchestrator-app:1.2.3"));
    }

    @Test
    void servesTheApiAndTheActuatorOnNamedPorts() {
        Manifests manifests = CHART.render();
        Node container = manifests.single("Deployment").at("spec.template.spec.containers[name=orchestrator]");
        Node service = manifests.single("Service");

        assertThat(container.at("ports[name=http].containerPort").value()).isEqualTo(8080);
        assertThat(container.at("ports[name=management].containerPort").value()).isEqualTo(9090);
        assertThat(service.at("spec.ports[name=http].port").value()).isEqualTo(8080);
        assertThat(service.string("spec.ports[name=http].targetPort")).isEqualTo("http");
        assertThat(service.at("spec.ports[name=management].port").value()).isEqualTo(9090);
        assertThat(service.string("spec.ports[name=management].targetPort")).isEqualTo("management");
        assertThat(service.map("spec.selector"))
                .isEqualTo(manifests.single("Deployment").map("spec.selector.matchLabels"))
                .containsEntry("app.kubernetes.io/component", "orchestrator");
    }

    @Test
    void probesTheActuatorHealthGroupsOnTheManagementPort() {
        Node container = CHART.render().single("Deployment").at("spec.template.spec.containers[name=orchestrator]");

        assertThat(container.string("livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(container.string("livenessProbe.httpGet.port")).isEqualTo("management");
        assertThat(container.string("readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(container.string("readinessProbe.httpGet.port")).isEqualTo("management");
        assertThat(container.string("startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(container.string("startupProbe.httpGet.port")).isEqualTo("management");
        assertThat(container.has("livenessProbe.enabled")).isFalse();
    }

    @Test
    void hardensTheOrchestratorAndTheMigrationsPods() {
        Manifests manifests = CHART.render();

        HardenedPod.assertHardened(manifests.single("Deployment").at("spec.template.spec"), "orchestrator");
        HardenedPod.assertHardened(manifests.single("Job").at("spec.template.spec"), "migrations");
    }

    @Test
    void setsResourceRequestsAndAMemoryLimit() {
        Node resources = CHART.render().single("Deployment").at("spec.template.spec.containers[0].resources");

        assertThat(resources.string("requests.cpu")).isEqualTo("500m");
        assertThat(resources.string("requests.memory")).isEqualTo("768Mi");
        assertThat(resources.string("limits.memory")).isEqualTo("1Gi");
    }

    @Test
    void readsTheDatasourceAndTheTokenHashesFromExistingSecrets() {
        Node container = CHART.render().single("Deployment").at("spec.template.spec.containers[0]");

        for (String[] variableAndKey : new String[][] {
                {"SPRING_DATASOURCE_URL", "url"},
                {"SPRING_DATASOURCE_USERNAME", "username"},
                {"SPRING_DATASOURCE_PASSWORD", "password"}}) {
            Node ref = container.at("env[name=" + variableAndKey[0] + "].valueFrom.secretKeyRef");
            assertThat(ref.string("name")).isEqualTo("cairn-database");
            assertThat(ref.string("key")).isEqualTo(variableAndKey[1]);
        }
        assertThat(container.string("env[name=CAIRN_SECURITY_TOKENS_0_NAME].value")).isEqualTo("admin");
        assertThat(container.string("env[name=CAIRN_SECURITY_TOKENS_0_ROLES].value")).isEqualTo("admin,client,read");
        assertThat(container.map("env[name=CAIRN_SECURITY_TOKENS_0_SECRET].valueFrom.secretKeyRef"))
                .containsEntry("name", "cairn-tokens").containsEntry("key", "admin");
        assertThat(container.string("env[name=CAIRN_SECURITY_TOKENS_1_NAME].value")).isEqualTo("worker");
        assertThat(container.string("env[name=CAIRN_SECURITY_TOKENS_1_ROLES].value")).isEqualTo("worker");
        assertThat(container.map("env[name=CAIRN_SECURITY_TOKENS_1_SECRET].valueFrom.secretKeyRef"))
                .containsEntry("name", "cairn-tokens").containsEntry("key", "worker");
    }

    @Test
    void rendersNoSecretAndNoSecretLiteral() {
        for (Manifests manifests : List.of(CHART.render(), CHART.renderWith(CHART.ciValues("full")))) {
            assertThat(manifests.has("Secret")).isFalse();
            for (Node object : manifests.objects()) {
                if (!object.has("spec.template.spec.containers")) {
                    continue;
                }
                for (Node container : object.list("spec.template.spec.containers")) {
                    for (Node env : container.list("env")) {
                        String name = env.string("name");
                        if (name.endsWith("PASSWORD") || name.endsWith("USERNAME") || name.endsWith("USER")) {
                            assertThat(env.has("value")).as(name).isFalse();
                            assertThat(env.has("valueFrom.secretKeyRef")).as(name).isTrue();
                        }
                        if (name.matches("CAIRN_SECURITY_TOKENS_\\d+_SECRET") && env.has("value")) {
                            assertThat(env.string("value")).as("only a hash may be inline")
                                    .matches("\\{sha256}[0-9a-f]{64}");
                        }
                    }
                }
            }
        }
    }

    @Test
    void takesAnInlineTokenHashAndAPlainJdbcUrlWhenGiven() {
        Node container = CHART.renderWith(CHART.ciValues("full")).single("Deployment")
                .at("spec.template.spec.containers[0]");

        assertThat(container.string("env[name=CAIRN_SECURITY_TOKENS_2_NAME].value")).isEqualTo("dashboards");
        assertThat(container.string("env[name=CAIRN_SECURITY_TOKENS_2_SECRET].value"))
                .isEqualTo("{sha256}9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        assertThat(container.string("env[name=SPRING_DATASOURCE_URL].value"))
                .isEqualTo("jdbc:postgresql://postgres.db.svc:5432/cairn");
        assertThat(container.string("env[name=SPRING_DATASOURCE_PASSWORD].valueFrom.secretKeyRef.name"))
                .isEqualTo("cairn-db");
    }

    @Test
    void migratesInAPreInstallPreUpgradeHookJobWithTheDatasourceSecret() {
        Node job = CHART.render().single("Job");

        assertThat(job.name()).isEqualTo("prod-cairn-migrations");
        assertThat(job.map("metadata.annotations"))
                .containsEntry("helm.sh/hook", "pre-install,pre-upgrade")
                .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded")
                .containsKey("helm.sh/hook-weight");
        Node pod = job.at("spec.template.spec");
        assertThat(pod.string("restartPolicy")).isEqualTo("Never");
        assertThat(pod.has("serviceAccountName")).as("hooks run before the chart's ServiceAccount exists").isFalse();
        Node container = pod.at("containers[name=migrations]");
        assertThat(container.string("image")).isEqualTo("cairn/db-migrations:0.1.0");
        assertThat(container.list("args")).extracting(Node::value).containsExactly("migrate");
        assertThat(container.map("env[name=FLYWAY_URL].valueFrom.secretKeyRef"))
                .containsEntry("name", "cairn-database").containsEntry("key", "url");
        assertThat(container.map("env[name=FLYWAY_USER].valueFrom.secretKeyRef"))
                .containsEntry("name", "cairn-database").containsEntry("key", "username");
        assertThat(container.map("env[name=FLYWAY_PASSWORD].valueFrom.secretKeyRef"))
                .containsEntry("name", "cairn-database").containsEntry("key", "password");
        assertThat(job.map("spec.template.metadata.labels"))
                .as("the Service, PDB and ServiceMonitor must not select the Job's pod")
                .containsEntry("app.kubernetes.io/component", "migrations");
    }

    @Test
    void disablesFlywayInTheOrchestratorWhenTheJobMigrates() {
        Node container = CHART.render().single("Deployment").at("spec.template.spec.containers[0]");

        assertThat(container.string("env[name=SPRING_FLYWAY_ENABLED].value")).isEqualTo("false");
    }

    @Test
    void letsTheOrchestratorMigrateAtStartWhenTheJobIsOff() {
        Manifests manifests = CHART.render("migrations.enabled=false");

        assertThat(manifests.has("Job")).isFalse();
        assertThat(manifests.single("Deployment").has("spec.template.spec.containers[0].env[name=SPRING_FLYWAY_ENABLED]"))
                .isFalse();
    }

    @Test
    void writesPortsActuatorExposureAndOrchestratorSettingsToTheConfigMap() {
        Manifests manifests = CHART.render();
        Map<String, Object> config = applicationYaml(manifests);

        assertThat(new Node(config).at("server.port").value()).isEqualTo(8080);
        assertThat(new Node(config).at("management.server.port").value()).isEqualTo(9090);
        assertThat(new Node(config).string("management.endpoints.web.exposure.include")).isEqualTo("health,prometheus");
        assertThat(new Node(config).at("management.endpoint.health.probes.enabled").value()).isEqualTo(true);
        assertThat(new Node(config).at("cairn.embedded-postgres.enabled").value()).isEqualTo(false);
        assertThat(new Node(config).map("cairn.orchestrator"))
                .containsEntry("leaseDuration", "30s")
                .containsEntry("dispatchBatchSize", 100)
                .containsEntry("workerRequestTimeout", "10s");
        assertThat(config).doesNotContainKey("spring");

        Node deployment = manifests.single("Deployment");
        assertThat(deployment.string("spec.template.spec.containers[0].env[name=SPRING_CONFIG_ADDITIONAL_LOCATION].value"))
                .isEqualTo("optional:file:/etc/cairn/");
        assertThat(deployment.string("spec.template.spec.containers[0].volumeMounts[name=config].mountPath"))
                .isEqualTo("/etc/cairn");
        assertThat(deployment.string("spec.template.spec.volumes[name=config].configMap.name"))
                .isEqualTo(manifests.single("ConfigMap").name());
    }

    @Test
    void allowsWorkerEndpointsOnlyInThePodNetworkByDefaultAndTakesTheListFromValues() {
        assertThat(new Node(applicationYaml(CHART.render())).at("cairn.orchestrator.workerEndpoints.allowed").value())
                .isEqualTo(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"));
        assertThat(new Node(applicationYaml(CHART.render("orchestrator.workerEndpoints.allowed[0]=10.244.0.0/16")))
                .at("cairn.orchestrator.workerEndpoints.allowed").value()).isEqualTo(List.of("10.244.0.0/16"));
    }

    @Test
    void mergesExtraConfigurationAndTheLogFormatIntoTheConfigMap() {
        Map<String, Object> config = applicationYaml(CHART.renderWith(CHART.ciValues("full")));

        assertThat(new Node(config).string("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(new Node(config).at("spring.datasource.hikari.maximum-pool-size").value()).isEqualTo(20);
        assertThat(new Node(config).string("cairn.orchestrator.leaseDuration")).isEqualTo("45s");
        assertThat(new Node(config).at("cairn.orchestrator.dispatchBatchSize").value()).isEqualTo(200);
        assertThat(new Node(config).string("cairn.orchestrator.workerTimeout")).isEqualTo("15s");
    }

    @Test
    void rollsThePodsWhenTheConfigurationChanges() {
        String before = CHART.render().single("Deployment").string("spec.template.metadata.annotations.checksum/config");
        String after = CHART.render("orchestrator.leaseDuration=60s").single("Deployment")
                .string("spec.template.metadata.annotations.checksum/config");

        assertThat(before).matches("[0-9a-f]{64}");
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void spreadsReplicasOverZonesAndNodesAndPrefersSeparateNodes() {
        Node pod = CHART.render().single("Deployment").at("spec.template.spec");

        assertThat(pod.list("topologySpreadConstraints")).extracting(c -> c.string("topologyKey"))
                .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        assertThat(pod.list("topologySpreadConstraints")).allSatisfy(c -> {
            assertThat(c.string("whenUnsatisfiable")).isEqualTo("ScheduleAnyway");
            assertThat(c.map("labelSelector.matchLabels")).containsEntry("app.kubernetes.io/component", "orchestrator");
        });
        assertThat(pod.string("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
                + ".podAffinityTerm.topologyKey")).isEqualTo("kubernetes.io/hostname");

        Node hard = CHART.render("podAntiAffinity=hard").single("Deployment").at("spec.template.spec");
        assertThat(hard.has("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution")).isTrue();
        Node none = CHART.render("podAntiAffinity=none", "topologySpread.enabled=false")
                .single("Deployment").at("spec.template.spec");
        assertThat(none.has("affinity")).isFalse();
        assertThat(none.has("topologySpreadConstraints")).isFalse();
    }

    @Test
    void keepsAPodDisruptionBudgetOverTheOrchestratorPods() {
        Manifests manifests = CHART.render();
        Node pdb = manifests.single("PodDisruptionBudget");

        assertThat(pdb.string("apiVersion")).isEqualTo("policy/v1");
        assertThat(pdb.at("spec.maxUnavailable").value()).isEqualTo(1);
        assertThat(pdb.has("spec.minAvailable")).isFalse();
        assertThat(pdb.map("spec.selector.matchLabels"))
                .isEqualTo(manifests.single("Deployment").map("spec.selector.matchLabels"));

        Node minAvailable = CHART.render("podDisruptionBudget.minAvailable=1", "podDisruptionBudget.maxUnavailable=")
                .single("PodDisruptionBudget");
        assertThat(minAvailable.at("spec.minAvailable").value()).isEqualTo(1);
        assertThat(minAvailable.has("spec.maxUnavailable")).isFalse();
        assertThat(CHART.render("podDisruptionBudget.enabled=false").has("PodDisruptionBudget")).isFalse();
    }

    @Test
    void exposesOnlyTheApiPortThroughTheIngressWhenEnabled() {
        assertThat(CHART.render().has("Ingress")).isFalse();

        Node ingress = CHART.renderWith(CHART.ciValues("full")).single("Ingress");
        assertThat(ingress.string("apiVersion")).isEqualTo("networking.k8s.io/v1");
        assertThat(ingress.string("spec.ingressClassName")).isEqualTo("nginx");
        assertThat(ingress.string("spec.rules[0].host")).isEqualTo("cairn.example.com");
        assertThat(ingress.string("spec.rules[0].http.paths[0].backend.service.name")).isEqualTo("prod-cairn");
        assertThat(ingress.string("spec.rules[0].http.paths[0].backend.service.port.name")).isEqualTo("http");
        assertThat(ingress.string("spec.tls[0].secretName")).isEqualTo("cairn-tls");
    }

    @Test
    void scalesWithAnHpaOnlyWhenEnabledAndThenLeavesReplicasToIt() {
        assertThat(CHART.render().has("HorizontalPodAutoscaler")).isFalse();

        Manifests manifests = CHART.renderWith(CHART.ciValues("full"));
        Node hpa = manifests.single("HorizontalPodAutoscaler");
        assertThat(hpa.string("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(hpa.string("spec.scaleTargetRef.kind")).isEqualTo("Deployment");
        assertThat(hpa.string("spec.scaleTargetRef.name")).isEqualTo(manifests.single("Deployment").name());
        assertThat(hpa.at("spec.minReplicas").value()).isEqualTo(3);
        assertThat(hpa.at("spec.maxReplicas").value()).isEqualTo(10);
        assertThat(hpa.at("spec.metrics[0].resource.target.averageUtilization").value()).isEqualTo(65);
        assertThat(hpa.string("spec.metrics[1].resource.name")).isEqualTo("memory");
        assertThat(manifests.single("Deployment").has("spec.replicas")).isFalse();
    }

    @Test
    void scrapesTheManagementPortWithAServiceMonitorOnlyWhenEnabled() {
        assertThat(CHART.render().has("ServiceMonitor")).isFalse();

        Manifests manifests = CHART.renderWith(CHART.ciValues("full"));
        Node monitor = manifests.single("ServiceMonitor");
        assertThat(monitor.string("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.string("spec.endpoints[0].port")).isEqualTo("management");
        assertThat(monitor.string("spec.endpoints[0].path")).isEqualTo("/actuator/prometheus");
        assertThat(monitor.string("spec.endpoints[0].interval")).isEqualTo("15s");
        assertThat(monitor.map("metadata.labels")).containsEntry("release", "prometheus");
        assertThat(manifests.single("Service").map("metadata.labels"))
                .containsAllEntriesOf(monitor.map("spec.selector.matchLabels"));
    }

    @Test
    void shipsTheGrafanaDashboardAsAConfigMapOnlyWhenEnabled() {
        assertThat(CHART.render().ofKind("ConfigMap")).hasSize(1);

        Node dashboard = CHART.renderWith(CHART.ciValues("full")).ofKind("ConfigMap").stream()
                .filter(c -> c.name().equals("prod-cairn-dashboard")).findFirst().orElseThrow();
        assertThat(dashboard.map("metadata.labels")).containsEntry("grafana_dashboard", "1");
        assertThat(dashboard.map("metadata.annotations")).containsEntry("grafana_folder", "Cairn");
        String json = (String) dashboard.map("data").get("cairn.json");
        assertThat(Dashboard.parse(json).uid()).isEqualTo(Dashboard.load().uid());
    }

    @Test
    void printsNotesNamingTheSecretsToCreate() {
        String notes = CHART.installNotes();

        assertThat(notes).contains("cairn-database", "cairn-tokens", "prod-cairn-migrations",
                "/actuator/health/readiness", "port-forward svc/prod-cairn");
        assertThat(CHART.installNotes("migrations.enabled=false")).contains("migrates the schema at start");
    }

    private static Map<String, Object> applicationYaml(Manifests manifests) {
        Node configMap = manifests.ofKind("ConfigMap").stream()
                .filter(c -> c.name().equals("prod-cairn")).findFirst().orElseThrow();
        Map<String, Object> data = configMap.map("data");
        return new Yaml(new LoaderOptions()).load((String) data.get("application.yaml"));
    }
}

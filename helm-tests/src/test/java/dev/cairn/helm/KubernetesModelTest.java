package dev.cairn.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.cairn.helm.KubernetesModel.container;
import static dev.cairn.helm.KubernetesModel.env;
import static dev.cairn.helm.KubernetesModel.hasEnv;
import static dev.cairn.helm.KubernetesModel.port;
import static dev.cairn.helm.KubernetesModel.portNames;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rendering of both charts (default values and each {@code ci/*-values.yaml}) read as fabric8
 * kubernetes-model objects: each object is of a kind the model knows (or a ServiceMonitor), carries no field
 * Kubernetes does not know, and its probes, ports and Secret references are wired as the values ask.
 */
class KubernetesModelTest {

    private static final Set<String> CUSTOM_RESOURCES = Set.of("monitoring.coreos.com/v1 ServiceMonitor");

    /** (chart, variant) with variant "default" for the chart's own values, then each ci/ variant. */
    static Stream<Arguments> renderings() {
        return Stream.concat(
                Stream.of(Arguments.of("cairn", "default"), Arguments.of("cairn-worker", "default")),
                HelmChart.chartsAndCiVariants());
    }

    static Stream<Arguments> orchestratorRenderings() {
        return renderings().filter(a -> a.get()[0].equals("cairn"));
    }

    static Stream<Arguments> workerRenderings() {
        return renderings().filter(a -> a.get()[0].equals("cairn-worker"));
    }

    @ParameterizedTest(name = "{0} with {1} values")
    @MethodSource("renderings")
    void rendersOnlyKubernetesObjectsWithKnownFields(String chart, String variant) {
        Manifests manifests = render(chart, variant);

        assertThat(manifests.typed()).isNotEmpty().allSatisfy(object -> {
            String type = object.getApiVersion() + " " + object.getKind();
            if (object instanceof GenericKubernetesResource) {
                assertThat(CUSTOM_RESOURCES).as("kind unknown to kubernetes-model").contains(type);
            }
            assertThat(object.getMetadata().getName()).as(type).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(object.getMetadata().getNamespace()).as(type).isEqualTo("cairn");
            assertThat(KubernetesModel.unknownFields(object)).as("fields of %s unknown to Kubernetes", type)
                    .isEmpty();
        });
    }

    @Test
    void reportsFieldsKubernetesDoesNotKnow() {
        Manifests manifests = Manifests.parse("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  selector:
                    matchLabels: {app: typo}
                  template:
                    metadata:
                      labels: {app: typo}
                    spec:
                      containers:
                        - name: app
                          image: app:1
                          livenesProbe:
                            httpGet: {path: /, port: management}
                """);

        assertThat(KubernetesModel.unknownFields(manifests.single(Deployment.class)))
                .containsExactly("Deployment.spec.template.spec.containers[0].livenesProbe");
    }

    @ParameterizedTest(name = "cairn with {1} values")
    @MethodSource("orchestratorRenderings")
    void wiresTheOrchestratorPortsProbesAndService(String chart, String variant) {
        Node values = HelmChart.ORCHESTRATOR.values(variantOrNull(variant));
        Manifests manifests = render(chart, variant);
        Deployment deployment = manifests.single(Deployment.class);
        Container orchestrator = container(deployment.getSpec().getTemplate().getSpec(), "orchestrator");

        assertThat(portNames(orchestrator)).containsExactly("http", "management");
        assertThat(port(orchestrator, "http").getContainerPort()).isEqualTo(values.at("containerPorts.http").value());
        assertThat(port(orchestrator, "management").getContainerPort())
                .isEqualTo(values.at("containerPorts.management").value());
        assertThat(orchestrator.getPorts()).allSatisfy(p -> assertThat(p.getProtocol()).isEqualTo("TCP"));

        assertProbesOnTheManagementPort(orchestrator, values);

        Service service = manifests.single(Service.class);
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).containsExactly("http", "management");
        assertThat(servicePort(service, "http").getPort()).isEqualTo(values.at("service.port").value());
        assertThat(servicePort(service, "http").getTargetPort()).isEqualTo(new IntOrString("http"));
        assertThat(servicePort(service, "management").getPort()).isEqualTo(values.at("service.managementPort").value());
        assertThat(servicePort(service, "management").getTargetPort()).isEqualTo(new IntOrString("management"));
        assertServiceTargetsNamedContainerPorts(service, orchestrator);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        for (Ingress ingress : manifests.ofType(Ingress.class)) {
            assertThat(ingress.getSpec().getRules()).allSatisfy(rule -> assertThat(rule.getHttp().getPaths())
                    .allSatisfy(path -> {
                        IngressBackend backend = path.getBackend();
                        assertThat(backend.getService().getName()).isEqualTo(service.getMetadata().getName());
                        assertThat(backend.getService().getPort().getName()).as("only the API is exposed")
                                .isEqualTo("http");
                    }));
        }
        for (HorizontalPodAutoscaler hpa : manifests.ofType(HorizontalPodAutoscaler.class)) {
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
            assertThat(deployment.getSpec().getReplicas()).as("replicas are left to the HPA").isNull();
        }
        for (PodDisruptionBudget pdb : manifests.ofType(PodDisruptionBudget.class)) {
            assertThat(pdb.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        }
        assertServiceMonitorsScrapeTheManagementPort(manifests, service);
    }

    @ParameterizedTest(name = "cairn with {1} values")
    @MethodSource("orchestratorRenderings")
    void takesTheDatasourceAndTheTokenHashesFromSecrets(String chart, String variant) {
        Node values = HelmChart.ORCHESTRATOR.values(variantOrNull(variant));
        Container orchestrator = container(render(chart, variant).single(Deployment.class)
                .getSpec().getTemplate().getSpec(), "orchestrator");

        assertDatasourceEnv(orchestrator, values, "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                "SPRING_DATASOURCE_PASSWORD");

        List<Node> tokens = values.list("security.tokens");
        assertThat(tokens).isNotEmpty();
        for (int i = 0; i < tokens.size(); i++) {
            Node token = tokens.get(i);
            String prefix = "CAIRN_SECURITY_TOKENS_" + i + "_";
            assertThat(env(orchestrator, prefix + "NAME").getValue()).isEqualTo(token.string("name"));
            assertThat(env(orchestrator, prefix + "ROLES").getValue())
                    .isEqualTo(String.join(",", token.list("roles").stream().map(r -> (String) r.value()).toList()));
            EnvVar secret = env(orchestrator, prefix + "SECRET");
            if (token.has("secretHash")) {
                assertThat(secret.getValue()).isEqualTo(token.string("secretHash")).matches("\\{sha256}[0-9a-f]{64}");
                assertThat(secret.getValueFrom()).isNull();
            } else {
                assertThat(secret.getValue()).isNull();
                assertSecretKeyRef(secret, token.string("existingSecret"), token.string("secretKey"));
            }
        }
        assertThat(orchestrator.getEnv()).extracting(EnvVar::getName)
                .filteredOn(name -> name.matches("CAIRN_SECURITY_TOKENS_\\d+_SECRET")).hasSize(tokens.size());
    }

    @ParameterizedTest(name = "cairn with {1} values")
    @MethodSource("orchestratorRenderings")
    void migratesInAHookJobWithTheOrchestratorsDatasourceWhenEnabled(String chart, String variant) {
        Node values = HelmChart.ORCHESTRATOR.values(variantOrNull(variant));
        Manifests manifests = render(chart, variant);
        Deployment deployment = manifests.single(Deployment.class);
        Container orchestrator = container(deployment.getSpec().getTemplate().getSpec(), "orchestrator");

        if (!Boolean.TRUE.equals(values.at("migrations.enabled").value())) {
            assertThat(manifests.ofType(Job.class)).isEmpty();
            assertThat(hasEnv(orchestrator, "SPRING_FLYWAY_ENABLED")).as("the orchestrator migrates at start").isFalse();
            return;
        }
        assertThat(env(orchestrator, "SPRING_FLYWAY_ENABLED").getValue()).isEqualTo("false");
        Job job = manifests.single(Job.class);
        assertThat(job.getMetadata().getAnnotations())
                .containsEntry("helm.sh/hook", "pre-install,pre-upgrade")
                .containsEntry("helm.sh/hook-delete-policy", values.string("migrations.hookDeletePolicy"));
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(values.at("migrations.backoffLimit").value());
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getServiceAccountName()).isEqualTo(values.string("migrations.serviceAccountName") == null
                || values.string("migrations.serviceAccountName").isEmpty() ? null
                : values.string("migrations.serviceAccountName"));
        Container migrations = container(pod, "migrations");
        assertThat(migrations.getImage()).startsWith(values.string("migrations.image.repository") + ":");
        assertDatasourceEnv(migrations, values, "FLYWAY_URL", "FLYWAY_USER", "FLYWAY_PASSWORD");
        assertThat(env(migrations, "FLYWAY_URL")).usingRecursiveComparison().ignoringFields("name")
                .isEqualTo(env(orchestrator, "SPRING_DATASOURCE_URL"));
        assertThat(env(migrations, "FLYWAY_PASSWORD")).usingRecursiveComparison().ignoringFields("name")
                .isEqualTo(env(orchestrator, "SPRING_DATASOURCE_PASSWORD"));
        Map<String, String> selector = manifests.single(Service.class).getSpec().getSelector();
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .as("the Service must not select the migrations pod")
                .containsEntry("app.kubernetes.io/component", "migrations")
                .matches(labels -> !labels.entrySet().containsAll(selector.entrySet()));
    }

    @ParameterizedTest(name = "cairn-worker with {1} values")
    @MethodSource("workerRenderings")
    void wiresTheWorkerPortsProbesServiceAndToken(String chart, String variant) {
        Node values = HelmChart.WORKER.values(variantOrNull(variant));
        Manifests manifests = render(chart, variant);
        Deployment deployment = manifests.single(Deployment.class);
        Container worker = container(deployment.getSpec().getTemplate().getSpec(), "worker");

        assertThat(portNames(worker)).containsExactly("http", "management");
        assertThat(port(worker, "http").getContainerPort()).isEqualTo(values.at("containerPorts.http").value());
        assertThat(port(worker, "management").getContainerPort())
                .isEqualTo(values.at("containerPorts.management").value());
        assertProbesOnTheManagementPort(worker, values);
        assertThat(env(worker, "CAIRN_WORKER_ADVERTISED_URL").getValue())
                .isEqualTo("http://$(POD_IP):" + values.at("containerPorts.http").value());

        EnvVar token = env(worker, "CAIRN_WORKER_TOKEN");
        assertThat(token.getValue()).isNull();
        assertSecretKeyRef(token, values.string("token.existingSecret"), values.string("token.secretKey"));

        Service service = manifests.single(Service.class);
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).containsExactly("management");
        assertThat(servicePort(service, "management").getPort()).isEqualTo(values.at("service.managementPort").value());
        assertServiceTargetsNamedContainerPorts(service, worker);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        for (PodDisruptionBudget pdb : manifests.ofType(PodDisruptionBudget.class)) {
            assertThat(pdb.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        }
        assertServiceMonitorsScrapeTheManagementPort(manifests, service);
    }

    private static void assertProbesOnTheManagementPort(Container container, Node values) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("startup", container.getStartupProbe());
        probes.put("liveness", container.getLivenessProbe());
        probes.put("readiness", container.getReadinessProbe());
        probes.forEach((kind, probe) -> {
            boolean enabled = Boolean.TRUE.equals(values.at("probes." + kind + ".enabled").value());
            if (!enabled) {
                assertThat(probe).as("%s probe is off", kind).isNull();
                return;
            }
            assertThat(probe).as("%s probe", kind).isNotNull();
            assertThat(probe.getHttpGet().getPath()).as("%s probe path", kind).isEqualTo(kind.equals("readiness")
                    ? "/actuator/health/readiness" : "/actuator/health/liveness");
            assertThat(probe.getHttpGet().getPort()).as("%s probe port", kind).isEqualTo(new IntOrString("management"));
            assertThat(probe.getPeriodSeconds()).isEqualTo(values.at("probes." + kind + ".periodSeconds").value());
            assertThat(probe.getFailureThreshold())
                    .isEqualTo(values.at("probes." + kind + ".failureThreshold").value());
        });
        assertThat(container.getLivenessProbe()).as("liveness is always probed").isNotNull();
        assertThat(container.getReadinessProbe()).as("readiness is always probed").isNotNull();
    }

    private static void assertDatasourceEnv(Container container, Node values, String url, String user,
            String password) {
        String secret = values.string("database.existingSecret");
        String inlineUrl = values.string("database.url");
        if (inlineUrl == null || inlineUrl.isEmpty()) {
            assertSecretKeyRef(env(container, url), secret, values.string("database.secretKeys.url"));
        } else {
            assertThat(env(container, url).getValue()).isEqualTo(inlineUrl).startsWith("jdbc:postgresql://");
        }
        assertThat(env(container, user).getValue()).isNull();
        assertSecretKeyRef(env(container, user), secret, values.string("database.secretKeys.username"));
        assertThat(env(container, password).getValue()).isNull();
        assertSecretKeyRef(env(container, password), secret, values.string("database.secretKeys.password"));
    }

    private static void assertSecretKeyRef(EnvVar env, String secret, String key) {
        assertThat(env.getValueFrom()).as("%s valueFrom", env.getName()).isNotNull();
        SecretKeySelector ref = env.getValueFrom().getSecretKeyRef();
        assertThat(ref).as("%s secretKeyRef", env.getName()).isNotNull();
        assertThat(ref.getName()).as("%s secret", env.getName()).isNotBlank().isEqualTo(secret);
        assertThat(ref.getKey()).as("%s key", env.getName()).isNotBlank().isEqualTo(key);
        assertThat(ref.getOptional()).as("%s secret is required", env.getName()).isNotEqualTo(true);
    }

    private static void assertServiceTargetsNamedContainerPorts(Service service, Container container) {
        assertThat(service.getSpec().getPorts()).allSatisfy(port -> {
            assertThat(port.getProtocol()).isEqualTo("TCP");
            assertThat(port.getTargetPort().getStrVal()).as("Service port %s targets a port name", port.getName())
                    .isEqualTo(port.getName())
                    .isIn(portNames(container));
        });
    }

    private static void assertServiceMonitorsScrapeTheManagementPort(Manifests manifests, Service service) {
        for (HasMetadata object : manifests.typed()) {
            if (!(object instanceof GenericKubernetesResource monitor) || !"ServiceMonitor".equals(monitor.getKind())) {
                continue;
            }
            Node spec = new Node(monitor.getAdditionalProperties().get("spec"));
            assertThat(spec.string("endpoints[0].port")).isEqualTo("management")
                    .isIn(service.getSpec().getPorts().stream().map(ServicePort::getName).toList());
            assertThat(spec.string("endpoints[0].path")).isEqualTo("/actuator/prometheus");
            spec.map("selector.matchLabels").forEach((label, value) ->
                    assertThat(service.getMetadata().getLabels()).containsEntry(label, String.valueOf(value)));
        }
    }

    private static ServicePort servicePort(Service service, String name) {
        return service.getSpec().getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("No port " + name + " on Service " + service.getMetadata()));
    }

    private static Manifests render(String chart, String variant) {
        return HelmChart.named(chart).renderVariant(variantOrNull(variant));
    }

    private static String variantOrNull(String variant) {
        return variant.equals("default") ? null : variant;
    }
}

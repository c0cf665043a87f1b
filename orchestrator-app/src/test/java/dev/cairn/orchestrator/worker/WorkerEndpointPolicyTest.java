package dev.cairn.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerEndpointPolicyTest {

    private final WorkerEndpointPolicy policy = new WorkerEndpointPolicy(new WorkerEndpointsProperties(List.of(
            "10.244.0.0/16", "192.168.7.9", "fd00::/8", "*.workers.svc.cluster.local", "Worker.Example.com")));

    @ParameterizedTest
    @ValueSource(strings = {"http://10.244.0.1:8080", "http://10.244.255.254/", "https://192.168.7.9:443",
            "http://[fd12:3456::1]:8080", "http://[::ffff:10.244.1.1]:80", "http://w-1.workers.svc.cluster.local:8080",
            "http://worker.example.com", "http://WORKER.example.COM:9/x", "http://a.b.workers.svc.cluster.local."})
    void allowsEndpointsInTheListedNetworksAndHosts(String endpoint) {
        assertThat(policy.allows(URI.create(endpoint))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.245.0.1:8080", "http://192.168.7.10", "http://127.0.0.1:8080",
            "http://169.254.169.254/latest/meta-data", "http://[::1]:8080", "http://[fe80::1]/",
            "http://workers.svc.cluster.local", "http://evil-workers.svc.cluster.local", "http://example.com",
            "http://worker.example.com.evil.test", "http://2130706433/", "http://0x7f.0.0.1/", "http://10.244.0.300/",
            "http://localhost:8080"})
    void refusesEverythingElseWithoutResolvingNames(String endpoint) {
        assertThat(policy.allows(URI.create(endpoint))).isFalse();
    }

    @Test
    void allowsAnyEndpointWhenNothingIsListed() {
        WorkerEndpointPolicy open = new WorkerEndpointPolicy(new WorkerEndpointsProperties(List.of()));

        assertThat(open.allows(URI.create("http://169.254.169.254/"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "300.1.1.1/8", "not a host", "http://10.0.0.0/8", "*"})
    void refusesToStartWithAnEntryItCannotRead(String entry) {
        assertThatThrownBy(() -> new WorkerEndpointPolicy(new WorkerEndpointsProperties(List.of(entry))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cairn.orchestrator.worker-endpoints.allowed");
    }
}

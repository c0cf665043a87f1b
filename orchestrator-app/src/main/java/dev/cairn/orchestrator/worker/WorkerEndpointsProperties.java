package dev.cairn.orchestrator.worker;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where workers may ask to be sent invocations ({@code cairn.orchestrator.worker-endpoints.*}).
 *
 * @param allowed the endpoints a registration may name: CIDR blocks ({@code 10.42.0.0/16}, {@code fd00::/8}) that
 *     an endpoint's literal IP address must fall in, and host names, exact ({@code worker.example.com}) or with a
 *     leading wildcard ({@code *.workers.svc.cluster.local}); host names are never resolved. Empty (the default):
 *     any endpoint, with a warning at start
 */
@ConfigurationProperties("cairn.orchestrator.worker-endpoints")
public record WorkerEndpointsProperties(@DefaultValue List<String> allowed) {

    public WorkerEndpointsProperties {
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }
}

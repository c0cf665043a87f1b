package dev.cairn.orchestrator.worker;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides whether a worker may register an endpoint, so that a worker token cannot make the orchestrator post
 * invocations into any network it can reach. Endpoints are matched as written: a literal IP address against the
 * CIDR blocks, a host name against the host patterns. Nothing is resolved (a resolved name could point elsewhere by
 * the time an invocation is sent).
 */
@Component
public class WorkerEndpointPolicy {

    private static final Logger log = LoggerFactory.getLogger(WorkerEndpointPolicy.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*"
            + "[a-z0-9])?)*");

    private final List<Block> blocks = new ArrayList<>();
    private final List<String> hosts = new ArrayList<>();

    public WorkerEndpointPolicy(WorkerEndpointsProperties properties) {
        for (String entry : properties.allowed()) {
            String e = entry == null ? "" : entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/") || isIpLiteral(e)) {
                blocks.add(Block.parse(e));
            } else if (HOST.matcher(e).matches()) {
                hosts.add(e);
            } else {
                throw new IllegalArgumentException("cairn.orchestrator.worker-endpoints.allowed: '" + entry
                        + "' is neither a CIDR block (10.0.0.0/8), an IP address nor a host name (*.example.com)");
            }
        }
        if (blocks.isEmpty() && hosts.isEmpty()) {
            log.warn("cairn.orchestrator.worker-endpoints.allowed is empty: workers may register any endpoint, and "
                    + "this orchestrator will post invocations to it; set it to the workers' network");
        } else {
            log.info("Workers may register endpoints in {}", properties.allowed());
        }
    }

    /** Whether invocations may be posted to {@code endpoint} (an absolute http(s) URL). */
    public boolean allows(URI endpoint) {
        if (blocks.isEmpty() && hosts.isEmpty()) {
            return true;
        }
        String host = endpoint.getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (isIpLiteral(host)) {
            byte[] address = literal(host);
            return address != null && blocks.stream().anyMatch(b -> b.contains(address));
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return hosts.stream().anyMatch(pattern -> matches(pattern, name));
    }

    private static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
        }
        return host.equals(pattern);
    }

    private static boolean isIpLiteral(String s) {
        return IPV4.matcher(s).matches() || s.contains(":");
    }

    /** The address of an IP literal, parsed without any lookup; null when it is not a valid one. */
    private static byte[] literal(String ip) {
        if (IPV4.matcher(ip).matches()) {
            String[] parts = ip.split("\\.");
            byte[] address = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return null;
                }
                address[i] = (byte) octet;
            }
            return address;
        }
        if (!ip.contains(":")) {
            return null;
        }
        try {
            // in brackets, the JDK parses an IPv6 literal and never turns to the resolver
            return InetAddress.getByName("[" + ip + "]").getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /** A CIDR block. */
    private record Block(byte[] network, int prefix) {

        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            String ip = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] network = literal(ip);
            if (network == null) {
                throw new IllegalArgumentException("cairn.orchestrator.worker-endpoints.allowed: '" + cidr
                        + "' does not start with an IP address");
            }
            int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("cairn.orchestrator.worker-endpoints.allowed: '" + cidr
                        + "' has no valid prefix length (0 to " + network.length * 8 + ")");
            }
            return new Block(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}

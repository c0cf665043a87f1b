package dev.cairn.worker.registration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The URL the orchestrator reaches this worker at: the configured one, else {@code http://<local address>:<port>}
 * with the port the web server actually listens on (known once it started, which matters with
 * {@code server.port=0}).
 */
public final class AdvertisedUrl implements ApplicationListener<WebServerInitializedEvent> {

    private final String configured;
    private final Supplier<String> host;
    private volatile int port = -1;

    public AdvertisedUrl(String configured) {
        this(configured, AdvertisedUrl::localAddress);
    }

    AdvertisedUrl(String configured, Supplier<String> host) {
        this.configured = configured == null || configured.isBlank() ? null : stripSlash(configured);
        this.host = host;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            port = event.getWebServer().getPort();
        }
    }

    /** The URL, or empty while the web server's port is not known yet. */
    public Optional<String> get() {
        if (configured != null) {
            return Optional.of(configured);
        }
        int known = port;
        return known > 0 ? Optional.of("http://" + host.get() + ":" + known) : Optional.empty();
    }

    private static String localAddress() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress().getHostAddress();
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

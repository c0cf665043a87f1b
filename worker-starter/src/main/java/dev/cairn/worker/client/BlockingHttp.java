package dev.cairn.worker.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * JSON {@code POST}s done entirely on the calling thread, with {@link HttpURLConnection} and the JDK's keep-alive
 * connection cache. Measured on the benchmark machine it costs about a third of the CPU of the JDK
 * {@code HttpClient}'s blocking {@code send}, which hands each exchange to its executor and selector threads.
 *
 * <p>The request body is buffered (no streaming mode) so that it goes out with the headers in one write, and so
 * that the JDK may resend it once on a fresh connection when a kept-alive one turns out to have been closed by the
 * server. Every response body, error bodies included, is read to its end and closed, which hands the connection
 * back for reuse; a connection that failed is dropped. The JDK keeps at most {@code http.maxConnections} (5 unless
 * the application sets that system property) idle connections per destination, so this class serves only calls
 * whose concurrency is bounded (the batch requests, at most {@code maxInFlight} at once).
 *
 * <p>Timeouts: {@code timeout} is the connect timeout and the read timeout (the longest the server may stay silent
 * while the response is awaited or read).
 */
final class BlockingHttp {

    /** A response: its status and its whole body. */
    record Response(int status, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final byte[] NO_BODY = new byte[0];

    private final String baseUrl;
    private final String authorization;
    private final int timeoutMillis;

    BlockingHttp(ClientSettings settings) {
        this.baseUrl = settings.baseUrl().toString();
        this.authorization = settings.token() == null ? null : "Bearer " + settings.token();
        this.timeoutMillis = toMillis(settings.requestTimeout());
    }

    /** {@code POST}s {@code body} as JSON to {@code path} of the orchestrator and reads the whole answer. */
    Response post(String path, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
        try {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty("Accept", "application/json, application/problem+json");
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (in == null) {
                return new Response(status, NO_BODY);
            }
            try (in) {
                return new Response(status, in.readAllBytes());
            }
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    private static int toMillis(Duration timeout) {
        long millis = timeout.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }
}

package dev.cairn.orchestrator.dispatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * A JSON {@code POST} to a worker done entirely on the calling thread, with {@link HttpURLConnection} and the JDK's
 * keep-alive connection cache: no hand-off to an executor or a selector thread between the caller and the bytes on
 * the wire.
 *
 * <p>The body is buffered, so that it goes out with the headers in one write. The answer's body (a worker's problem
 * details on an error) is read to its end and closed, which hands the connection back for reuse; a connection that
 * failed is dropped. A connection that could not be opened (refused, or not opened within the connect timeout) is
 * reported as a {@link ConnectException}: nothing reached the worker. The JDK keeps at most
 * {@code http.maxConnections} (5 unless the application sets that system property) idle connections per
 * destination, so callers bound how many posts to one worker run at once.
 */
final class BlockingPost {

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    /**
     * @param connectTimeout how long opening a connection may take
     * @param readTimeout how long the worker may stay silent while its answer is awaited or read
     */
    BlockingPost(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = toMillis(connectTimeout);
        this.readTimeoutMillis = toMillis(readTimeout);
    }

    /** Posts {@code body} to {@code url}, with {@code Authorization} when not null, and answers the status. */
    int post(String url, String authorization, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(readTimeoutMillis);
            connection.setRequestProperty("Content-Type", "application/json");
            connection.setRequestProperty("Accept", "application/json, application/problem+json");
            if (authorization != null) {
                connection.setRequestProperty("Authorization", authorization);
            }
            try {
                connection.connect();
            } catch (IOException e) {
                ConnectException notConnected = new ConnectException("could not connect to " + url + ": " + e);
                notConnected.initCause(e);
                throw notConnected;
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (in != null) {
                try (in) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return status;
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    private static int toMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
}

package dev.cairn.orchestrator.api;

import dev.cairn.orchestrator.OrchestratorProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code cairn.orchestrator.payload-limit} with 413: at once when the
 * {@code Content-Length} says so, and while reading when the body is chunked. Worker requests (which may carry
 * several payloads) get {@code cairn.orchestrator.worker-request-limit}; a batch of them
 * ({@code /v1/invocations/batch}) twice that, so that one item as large as a request of its own can travel with
 * others and be refused alone (each item over the single limit is answered {@code 413} in its result).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class PayloadLimitFilter extends OncePerRequestFilter {

    private final long clientLimit;
    private static final String BATCH = "/v1/invocations/batch";

    private final long workerLimit;

    public PayloadLimitFilter(OrchestratorProperties properties) {
        this.clientLimit = properties.payloadLimit().toBytes();
        this.workerLimit = properties.workerRequestLimit().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        long limit = BATCH.equals(path) ? batchLimit(workerLimit)
                : path.startsWith("/v1/invocations/") || path.startsWith("/v1/workers/") ? workerLimit : clientLimit;
        long length = request.getContentLengthLong();
        if (length > limit) {
            response.setHeader("Connection", "close");
            ProblemResponses.write(response, HttpStatus.CONTENT_TOO_LARGE, "Payload too large",
                    "the request body exceeds the limit of " + limit + " bytes", path);
            return;
        }
        if (length < 0) {
            chain.doFilter(new LimitedRequest(request, limit), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The largest batch request: twice the largest single worker request. */
    public static long batchLimit(long workerRequestLimit) {
        return 2 * workerRequestLimit;
    }

    /** Thrown while reading a body that turns out to exceed the limit. */
    public static final class BodyTooLargeException extends IOException {

        private final long limit;

        BodyTooLargeException(long limit) {
            super("request body exceeds " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long limit;
        private long count;

        LimitedStream(ServletInputStream delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}

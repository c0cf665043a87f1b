package dev.cairn.worker.invocation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The secret with which the orchestrator proves itself to this worker: made once per process start, sent with
 * every registration ({@code WorkerRegistration.invocationSecret}), and expected back as
 * {@code Authorization: Bearer <secret>} on every {@code POST /cairn/invocations}. Kept in memory only;
 * {@link #toString()} does not show it.
 */
public final class InvocationSecret {

    /** Random bytes in a generated secret: 256 bits, 43 characters of URL-safe Base64. */
    public static final int GENERATED_BYTES = 32;

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]{22,512}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;
    private final byte[] expectedHeader;

    /**
     * A given secret, for tests and for applications that make their own.
     *
     * @param value 22 to 512 characters of URL-safe Base64 ({@code A-Z a-z 0-9 - _}), at least 128 bits of
     *     randomness
     */
    public InvocationSecret(String value) {
        Objects.requireNonNull(value, "value");
        if (!ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "An invocation secret must be 22 to 512 characters of URL-safe Base64 (A-Z a-z 0-9 - _)");
        }
        this.value = value;
        this.expectedHeader = ("Bearer " + value).getBytes(StandardCharsets.UTF_8);
    }

    /** A new random secret: {@value #GENERATED_BYTES} bytes from a {@link SecureRandom}, URL-safe Base64. */
    public static InvocationSecret generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        return new InvocationSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The secret itself, for the registration. Never log it. */
    public String value() {
        return value;
    }

    /**
     * Whether the request's {@code Authorization} headers are exactly one {@code Bearer <this secret>}; the
     * comparison takes the same time wherever the first difference is.
     */
    public boolean isPresentedBy(List<String> authorizationHeaders) {
        if (authorizationHeaders == null || authorizationHeaders.size() != 1) {
            return false;
        }
        return isPresentedBy(authorizationHeaders.get(0));
    }

    /** Whether {@code authorization} (one header value) is {@code Bearer <this secret>}, compared in constant time. */
    public boolean isPresentedBy(String authorization) {
        if (authorization == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHeader, authorization.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "InvocationSecret[****]";
    }
}

package dev.cairn.orchestrator.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 digest of an API token, from its configured form: {@code {sha256}<64 hex digits>} or
 * {@code {noop}<token>}. A presented token is hashed and the digests are compared with
 * {@link MessageDigest#isEqual}, which takes the same time wherever they differ.
 */
public final class TokenSecret {

    private static final String SHA256 = "{sha256}";
    private static final String NOOP = "{noop}";

    private final byte[] digest;

    private TokenSecret(byte[] digest) {
        this.digest = digest;
    }

    /**
     * Reads a configured secret.
     *
     * @throws IllegalArgumentException when it is neither form (the message never repeats the secret)
     */
    public static TokenSecret parse(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("the secret is missing");
        }
        String value = configured.strip();
        if (value.regionMatches(true, 0, SHA256, 0, SHA256.length())) {
            String hex = value.substring(SHA256.length()).toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a {sha256} secret must be followed by 64 hex digits");
            }
            return new TokenSecret(HexFormat.of().parseHex(hex));
        }
        if (value.regionMatches(true, 0, NOOP, 0, NOOP.length())) {
            String token = value.substring(NOOP.length());
            if (token.isEmpty()) {
                throw new IllegalArgumentException("a {noop} secret must be followed by the token");
            }
            return new TokenSecret(digest(token));
        }
        throw new IllegalArgumentException("the secret must start with {sha256} or {noop}");
    }

    /** The SHA-256 digest of a token, as {@link #matches(byte[])} wants it. */
    public static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The {@code {sha256}…} form of a token, for configuration. */
    public static String sha256Form(String token) {
        return SHA256 + HexFormat.of().formatHex(digest(token));
    }

    /** Whether the digest of a presented token is this secret's, in time independent of where they differ. */
    public boolean matches(byte[] presentedDigest) {
        return MessageDigest.isEqual(digest, presentedDigest);
    }

    @Override
    public String toString() {
        return "TokenSecret[****]";
    }
}

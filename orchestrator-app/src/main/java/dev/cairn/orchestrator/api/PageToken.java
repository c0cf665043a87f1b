package dev.cairn.orchestrator.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque page tokens of list endpoints: a kind tag and a position, base64url-encoded. Clients must treat
 * them as opaque; a token of the wrong kind or a tampered one is a 400.
 */
public final class PageToken {

    private PageToken() {
    }

    /** Encodes a position of the given kind. */
    public static String encode(String kind, String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a token of the given kind; null when {@code token} is null or blank. */
    public static String decode(String kind, String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!text.startsWith(kind + ":")) {
            throw invalid();
        }
        return text.substring(kind.length() + 1);
    }

    /** Decodes a token holding a number. */
    public static Long decodeLong(String kind, String token) {
        String position = decode(kind, token);
        if (position == null) {
            return null;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /** Checks a page size (1–1000, default 100). */
    public static int limit(Integer limit) {
        if (limit == null) {
            return 100;
        }
        if (limit < 1 || limit > 1000) {
            throw new InvalidRequestException("limit", "must be between 1 and 1000");
        }
        return limit;
    }

    private static InvalidRequestException invalid() {
        return new InvalidRequestException("pageToken", "is not a page token of this list");
    }
}

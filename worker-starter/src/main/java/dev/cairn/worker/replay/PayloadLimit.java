package dev.cairn.worker.replay;

/**
 * The largest payload (a step result, a condition state, a context result, an input) the orchestrator takes, in
 * bytes of UTF-8 text. The orchestrator states it when the worker registers; until then, or when it states none,
 * the fallback applies (1 MiB by default). Thread-safe; one per worker.
 */
public final class PayloadLimit {

    /** The fallback when nothing else is configured: 1 MiB, the orchestrator's own default. */
    public static final long DEFAULT_BYTES = 1024L * 1024L;

    private final long fallbackBytes;
    private volatile long toldBytes;

    /** @param fallbackBytes the limit while the orchestrator has not stated one; must be positive */
    public PayloadLimit(long fallbackBytes) {
        if (fallbackBytes <= 0) {
            throw new IllegalArgumentException("the payload limit must be positive, was " + fallbackBytes);
        }
        this.fallbackBytes = fallbackBytes;
    }

    /** A limit of {@link #DEFAULT_BYTES} until the orchestrator states one. */
    public static PayloadLimit withDefault() {
        return new PayloadLimit(DEFAULT_BYTES);
    }

    /** Takes the limit the orchestrator stated at registration; 0 (or less) means it stated none. */
    public void told(long bytes) {
        this.toldBytes = Math.max(0, bytes);
    }

    /** The limit in force, in bytes. */
    public long bytes() {
        long told = toldBytes;
        return told > 0 ? told : fallbackBytes;
    }

    /** The size of {@code text} in bytes of UTF-8, without encoding it. */
    static long utf8Length(String text) {
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The size of {@code text} when it is over the limit, else -1 (cheap for text that surely fits). */
    long excess(String text) {
        if (text == null) {
            return -1;
        }
        long limit = bytes();
        if ((long) text.length() * 3 <= limit) {
            return -1;
        }
        long size = utf8Length(text);
        return size > limit ? size : -1;
    }
}

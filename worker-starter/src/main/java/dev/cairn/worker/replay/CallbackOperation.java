package dev.cairn.worker.replay;

import dev.cairn.api.CallbackConfig;
import dev.cairn.protocol.OperationOptions;
import dev.cairn.protocol.OperationRecord;
import java.lang.reflect.Type;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * {@code createCallback}: a CALLBACK operation (subType {@code Callback}). On the first run the worker makes the
 * callback id and records it (START with {@link OperationOptions#callback}) before handing it to the code; on
 * replay the recorded id is handed out again.
 */
final class CallbackOperation {

    /** 256 random bits: well over the 128 the protocol asks for. */
    private static final int ID_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private CallbackOperation() {
    }

    static <T> CallbackFuture<T> create(ReplaySession session, DurableScope.Claim claim, String name, Type type,
            CallbackConfig config) {
        OperationRecord recorded = claim.recorded();
        if (recorded != null) {
            if (recorded.callbackId() == null) {
                throw new IllegalStateException("Callback '" + name + "' (operation " + claim.id()
                        + ") is recorded without a callback id");
            }
            return new CallbackFuture<>(session, claim.id(), name, type, recorded.callbackId(), recorded);
        }
        String callbackId = newCallbackId();
        session.sender().send(claim.updates().startCallback(
                OperationOptions.callback(callbackId, config.timeout(), config.heartbeatTimeout())));
        return new CallbackFuture<>(session, claim.id(), name, type, callbackId, null);
    }

    /** A fresh callback id: random bytes from a {@link SecureRandom}, URL-safe Base64 without padding. */
    static String newCallbackId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return URL_SAFE.encodeToString(bytes);
    }
}

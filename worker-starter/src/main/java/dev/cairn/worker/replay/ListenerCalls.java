package dev.cairn.worker.replay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls {@link EngineListener}s so that their failures never reach the engine. */
final class ListenerCalls {

    private static final Logger log = LoggerFactory.getLogger(EngineListener.class);

    private ListenerCalls() {
    }

    static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("An engine listener failed; ignored", e);
        }
    }
}

package dev.cairn.orchestrator.security;

/** The orchestrator was started without API tokens and without {@code cairn.security.open=true}. */
public class NoApiTokensException extends IllegalStateException {

    public NoApiTokensException() {
        super("No API tokens are configured (cairn.security.tokens) and cairn.security.open is not true: the "
                + "orchestrator refuses to start with an API open to anyone");
    }
}

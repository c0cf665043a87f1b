package dev.cairn.orchestrator.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a start refused for want of API tokens, and what to configure. */
public class NoApiTokensFailureAnalyzer extends AbstractFailureAnalyzer<NoApiTokensException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoApiTokensException cause) {
        return new FailureAnalysis(cause.getMessage(),
                """
                Configure at least one token, e.g.
                    cairn.security.tokens[0].name=ops
                    cairn.security.tokens[0].secret={sha256}<hex SHA-256 of the token>   (or {noop}<token> locally)
                    cairn.security.tokens[0].roles=admin
                (as environment variables CAIRN_SECURITY_TOKENS_0_NAME, _SECRET, _ROLES, or files read with
                spring.config.import=optional:configtree:<dir>/), or, for a local demo only, start with
                --cairn.security.open=true to let anyone call the API.""",
                cause);
    }
}

package dev.cairn.worker.replay;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.spi.CallerBoundaryAware;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A logger for workflow code: silent while the code replays operations that were already recorded (so that a
 * line is logged once, not once per invocation), and with {@link MdcKeys} set while it logs.
 */
final class ReplayAwareLogger extends AbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient Logger delegate;
    private final transient BooleanSupplier replaying;
    private final transient Supplier<LogScope> scope;

    /** What the MDC carries for one log line. */
    record LogScope(String executionId, String operationId, Integer attempt) {
    }

    ReplayAwareLogger(Logger delegate, BooleanSupplier replaying, Supplier<LogScope> scope) {
        this.delegate = delegate;
        this.replaying = replaying;
        this.scope = scope;
        this.name = delegate.getName();
    }

    @Override
    public boolean isTraceEnabled() {
        return live() && delegate.isTraceEnabled();
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return live() && delegate.isTraceEnabled(marker);
    }

    @Override
    public boolean isDebugEnabled() {
        return live() && delegate.isDebugEnabled();
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return live() && delegate.isDebugEnabled(marker);
    }

    @Override
    public boolean isInfoEnabled() {
        return live() && delegate.isInfoEnabled();
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return live() && delegate.isInfoEnabled(marker);
    }

    @Override
    public boolean isWarnEnabled() {
        return live() && delegate.isWarnEnabled();
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return live() && delegate.isWarnEnabled(marker);
    }

    @Override
    public boolean isErrorEnabled() {
        return live() && delegate.isErrorEnabled();
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return live() && delegate.isErrorEnabled(marker);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return AbstractLogger.class.getName();
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments,
            Throwable throwable) {
        LogScope current = scope.get();
        String previousExecution = MDC.get(MdcKeys.EXECUTION_ID);
        String previousOperation = MDC.get(MdcKeys.OPERATION_ID);
        String previousAttempt = MDC.get(MdcKeys.ATTEMPT);
        try {
            put(MdcKeys.EXECUTION_ID, current.executionId());
            put(MdcKeys.OPERATION_ID, current.operationId());
            put(MdcKeys.ATTEMPT, current.attempt() == null ? null : current.attempt().toString());
            LoggingEventBuilder event = delegate.atLevel(level).setMessage(message).setCause(throwable);
            if (event instanceof CallerBoundaryAware boundary) {
                boundary.setCallerBoundary(getFullyQualifiedCallerName());
            }
            if (marker != null) {
                event.addMarker(marker);
            }
            if (arguments != null) {
                for (Object argument : arguments) {
                    event.addArgument(argument);
                }
            }
            event.log();
        } finally {
            put(MdcKeys.EXECUTION_ID, previousExecution);
            put(MdcKeys.OPERATION_ID, previousOperation);
            put(MdcKeys.ATTEMPT, previousAttempt);
        }
    }

    private boolean live() {
        return !replaying.getAsBoolean();
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}

package dev.cairn.orchestrator.support;

/** Closes what a test class started, in order, each even if an earlier one failed to close. */
public final class Closing {

    private Closing() {
    }

    /** Closes each non-null resource in order; the first failure is thrown after all were tried. */
    public static void all(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not close " + resource, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

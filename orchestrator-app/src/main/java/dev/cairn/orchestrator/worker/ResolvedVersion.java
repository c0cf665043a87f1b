package dev.cairn.orchestrator.worker;

/**
 * The version a start (or a chained invoke) runs on, or why there is none.
 *
 * @param version the version, null when the workflow or the requested version was never registered
 * @param workflowKnown whether some worker ever registered the workflow
 */
public record ResolvedVersion(String workflow, String requested, String version, boolean workflowKnown) {

    public boolean found() {
        return version != null;
    }

    /** Why there is no version, in words a user understands. */
    public String failure() {
        if (found()) {
            return null;
        }
        return workflowKnown
                ? "no worker ever registered version '" + requested + "' of the workflow '" + workflow + "'"
                : "no worker ever registered the workflow '" + workflow + "'";
    }
}

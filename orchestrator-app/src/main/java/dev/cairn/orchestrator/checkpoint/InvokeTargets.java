package dev.cairn.orchestrator.checkpoint;

import dev.cairn.orchestrator.worker.ResolvedVersion;

/** Resolves the workflow version a CHAINED_INVOKE runs its child on. */
@FunctionalInterface
public interface InvokeTargets {

    /** @param version the requested version, null for the current one */
    ResolvedVersion resolve(String workflow, String version);

    /** Targets for plans that hold no CHAINED_INVOKE (every workflow is unknown). */
    InvokeTargets NONE = (workflow, version) -> new ResolvedVersion(workflow, version, null, false);
}

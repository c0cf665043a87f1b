package dev.cairn.orchestrator.dispatch;

import dev.cairn.orchestrator.ledger.Claim;
import dev.cairn.orchestrator.worker.LiveWorker;

/** A claimed execution and the worker chosen to run it. */
public record Assignment(Claim claim, LiveWorker worker) {
}

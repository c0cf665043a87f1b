/**
 * Group commit, as generic machinery: {@link dev.cairn.orchestrator.commit.GroupCommit} writes the jobs
 * ({@link dev.cairn.orchestrator.commit.Work}) of concurrent callers in shared transactions, combines jobs of one
 * {@link dev.cairn.orchestrator.commit.CombineKind} in one statement, and gives each caller its own typed
 * {@link dev.cairn.orchestrator.commit.Outcome}. It knows nothing of what the jobs write (the checkpoint store's
 * statements are its only users).
 *
 * <p>The worker's twin, {@code InvocationBatcher} in {@code worker-starter}, is leader/follower too but shares no code
 * with this package: it sends items in HTTP requests, where one answer covers a whole request and nothing is rolled
 * back or written again, and it lives in a module that the orchestrator does not depend on (nor it on the
 * orchestrator). What the two have in common, a queue under one lock and a leader that hands over, is a few lines
 * whose details (writer slots and bounded waits here; requests in flight, byte limits and the fallback to single
 * requests there) differ.
 */
package dev.cairn.orchestrator.commit;

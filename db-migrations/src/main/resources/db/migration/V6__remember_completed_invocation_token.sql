-- Cairn V6: a completion sent twice is answered as if sent once.
--
-- A completion clears the execution's invocation token, so the same completion sent again (its answer was lost: a
-- read timeout, a reset connection, the HTTP client's own resend) no longer matches it. The token of the invocation
-- that the last completion closed is kept here: a fenced completion that carries it, and the status, result and
-- error that completion left, repeats it and is answered as success, writing nothing. Any other stale token stays
-- fenced. A nullable column without a default: adding it rewrites nothing, and setting it changes no indexed column
-- (the completion's update stays HOT).
alter table executions add column completed_invocation_token uuid;

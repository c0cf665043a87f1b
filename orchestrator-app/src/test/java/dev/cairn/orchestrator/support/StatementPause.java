package dev.cairn.orchestrator.support;

import dev.cairn.testing.TestDatabase;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Pauses a statement at a chosen point, for interleaving tests: between the moment it takes its snapshot and the
 * moment it locks the rows it selects ({@link #install}: a hook for {@code select ... for update skip locked}, which
 * never waits for a lock and so cannot be held by a lock another transaction holds), or at the end of a statement
 * that starts a chained child ({@link #installAtChainedStart}).
 *
 * <p>The hook is the {@code timestamptz <= timestamptz} operator, which a claim applies to each candidate's
 * {@code ready_at} before locking it: {@link #install} defines, in schema {@code public}, an operator of that name
 * that first waits for a shared advisory lock, then compares. Only the connections of {@link #dataSource} use it
 * (their {@code search_path} puts {@code public} before {@code pg_catalog}); every other connection keeps the
 * built-in one. While a test holds the advisory lock ({@link #hold}), a statement run on those connections stops at
 * its first comparison, having taken its snapshot and locked nothing.
 */
public final class StatementPause {

    /** The advisory lock key the operator waits for. */
    private static final long KEY = 7_514_001L;

    private StatementPause() {
    }

    /** Defines the pausing operator in the test database (once per database). */
    public static void install(JdbcClient sql) {
        sql.sql("""
                create or replace function public.paused_le(a timestamptz, b timestamptz) returns boolean
                language plpgsql volatile as $$
                begin
                    perform pg_advisory_lock_shared(%d);
                    perform pg_advisory_unlock_shared(%d);
                    return a operator(pg_catalog.<=) b;
                end $$
                """.formatted(KEY, KEY)).update();
        sql.sql("""
                create operator public.<= (leftarg = timestamptz, rightarg = timestamptz,
                                           function = public.paused_le)
                """).update();
    }

    /**
     * Makes every statement that inserts a chained child execution (a row of {@code executions} with a parent)
     * pause at its end, after all its writes and before its commit, while the lock is held ({@link #hold}): an
     * {@code after insert} trigger that waits for the same advisory lock. Such a statement holds its locks and its
     * uncommitted rows meanwhile.
     */
    public static void installAtChainedStart(JdbcClient sql) {
        sql.sql("""
                create or replace function public.paused_after_insert() returns trigger
                language plpgsql volatile as $$
                begin
                    perform pg_advisory_lock_shared(%d);
                    perform pg_advisory_unlock_shared(%d);
                    return null;
                end $$
                """.formatted(KEY, KEY)).update();
        sql.sql("""
                create trigger paused_chained_start after insert on executions for each row
                  when (new.parent_execution_id is not null) execute function public.paused_after_insert()
                """).update();
    }

    /** Connections whose statements use the pausing operator. */
    public static DataSource dataSource(TestDatabase db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        ds.setOptions("-c search_path=public,pg_catalog");
        return ds;
    }

    /**
     * Makes the installed hooks pause their statements until the returned transaction ends (commit or close it to
     * let them go on).
     */
    public static HeldTransaction hold(DataSource dataSource) {
        return HeldTransaction.begin(dataSource).run("select pg_advisory_xact_lock(" + KEY + ")");
    }
}

package dev.cairn.orchestrator.support;

import dev.cairn.orchestrator.json.PayloadJson;
import dev.cairn.orchestrator.ledger.Ledger;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Ledgers outside an orchestrator, for tests that run its statements on connections of their own. */
public final class Ledgers {

    private Ledgers() {
    }

    /** A ledger on {@code dataSource}, its multi-statement writes in transactions of their own. */
    public static Ledger on(DataSource dataSource) {
        return new Ledger(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), json());
    }

    /**
     * A ledger whose statements run on {@code jdbc} (a transaction the test holds open, say). Only its
     * single-statement writes can be used: one that needs a transaction of its own (a stop, a dispatch pass) fails.
     */
    public static Ledger on(JdbcClient jdbc) {
        return new Ledger(jdbc, new TransactionTemplate(), json());
    }

    private static PayloadJson json() {
        return new PayloadJson(JsonMapper.builder().build());
    }
}

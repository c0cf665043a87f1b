package dev.cairn.orchestrator;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The Cairn orchestrator: stores durable executions in PostgreSQL, dispatches invocations to workers, records
 * their checkpoints and fires their timers. Stateless: run as many replicas as needed on one database.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CairnOrchestratorApplication {

    public static void main(String[] args) {
        SpringApplication.run(CairnOrchestratorApplication.class, args);
    }

    /** The time source of every decision the orchestrator takes; tests register their own. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}

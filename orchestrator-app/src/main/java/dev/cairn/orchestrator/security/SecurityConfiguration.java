package dev.cairn.orchestrator.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Bearer-token security of the API port: the tokens of {@code cairn.security.tokens}, or an open API with
 * {@code cairn.security.open=true} (announced loudly), and nothing else: with neither, the start is refused.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    static final String OPEN_BANNER = """

            ************************************************************************************
            *  CAIRN SECURITY IS OFF (cairn.security.open=true): the API is OPEN TO ANYONE who   *
            *  can reach this port. Anyone can start, stop and read executions and register   *
            *  workers. Use this for a local demo only; configure cairn.security.tokens.      *
            ************************************************************************************""";

    @Bean
    ApiTokens apiTokens(SecurityProperties properties) {
        ApiTokens tokens = ApiTokens.of(properties);
        if (tokens.open()) {
            log.warn(OPEN_BANNER);
            if (!properties.tokens().isEmpty()) {
                log.warn("cairn.security.open=true: the {} configured tokens are ignored", properties.tokens().size());
            }
        } else {
            log.info("API security on: {} bearer tokens configured", tokens.size());
        }
        return tokens;
    }

    /**
     * Lets requests with percent-encoded slashes reach {@link BearerTokenFilter}, which refuses them with a
     * problem+json 400, instead of Tomcat refusing them itself with an HTML page.
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheFilter() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(ApiTokens tokens) {
        FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(
                new BearerTokenFilter(tokens));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        registration.setName("cairnBearerTokenFilter");
        return registration;
    }
}

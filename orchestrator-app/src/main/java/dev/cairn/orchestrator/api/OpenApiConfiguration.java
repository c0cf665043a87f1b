package dev.cairn.orchestrator.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document of the REST API ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}), readable
 * without a token: it describes the API, it holds no data. Every operation requires a bearer token. Descriptions are
 * CommonMark, which Swagger UI renders as HTML: anything in angle brackets goes in a code span, or it disappears as
 * an unknown tag.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String BEARER = "bearer";

    @Bean
    OpenAPI cairnOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Cairn orchestrator API").version("v1").description("""
                        Durable executions: start and list them, read their operations and history, stop them, \
                        complete callbacks, and the worker protocol. Every request needs \
                        `Authorization: Bearer <token>` of a token with the role the endpoint names \
                        (admin implies every role); errors are application/problem+json (RFC 9457)."""))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("A token of cairn.security.tokens with roles admin, client, worker or read")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}

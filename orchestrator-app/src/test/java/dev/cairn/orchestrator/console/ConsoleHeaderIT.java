package dev.cairn.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.orchestrator.support.MutableClock;
import dev.cairn.orchestrator.support.RunningOrchestrator;
import dev.cairn.testing.TestDatabase;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's header says who is signed in and offers "Sign out" only when there is a session to end. */
class ConsoleHeaderIT {

    @Test
    void withSecurityOffTheHeaderSaysSoAndOffersNoSignOut() throws Exception {
        try (TestDatabase db = TestDatabase.create(ConsoleHeaderIT.class);
                RunningOrchestrator orchestrator = RunningOrchestrator.start(db, new MutableClock())) {
            HttpClient browser = browser();

            String page = get(browser, orchestrator.url("/console/executions"));

            assertThat(page).contains("Security is off").doesNotContain("Sign out").doesNotContain("/console/logout");
        }
    }

    @Test
    void aSignedInUserIsNamedAndMaySignOut() throws Exception {
        try (TestDatabase db = TestDatabase.create(ConsoleHeaderIT.class);
                RunningOrchestrator orchestrator = RunningOrchestrator.start(db, new MutableClock(),
                        "cairn.security.open=false", "cairn.security.tokens[0].name=ops",
                        "cairn.security.tokens[0].secret={noop}ops-token", "cairn.security.tokens[0].roles=read")) {
            HttpClient browser = browser();
            String login = get(browser, orchestrator.url("/console/login"));
            Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login);
            assertThat(csrf.find()).as(login).isTrue();
            HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(
                            URI.create(orchestrator.url("/console/login")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=ops-token&_csrf="
                            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(signedIn.statusCode()).as(signedIn.body()).isIn(302, 303);

            String page = get(browser, orchestrator.url("/console/executions"));

            assertThat(page).contains("Signed in as").contains("ops").contains("Sign out")
                    .doesNotContain("Security is off");
        }
    }

    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    private static String get(HttpClient browser, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = browser.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}

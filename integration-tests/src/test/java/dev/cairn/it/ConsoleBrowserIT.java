package dev.cairn.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.examples.demo.DemoWorkerApplication;
import dev.cairn.it.support.CairnApi;
import dev.cairn.it.support.Orchestrators;
import dev.cairn.it.support.Workers;
import dev.cairn.testing.TestDatabase;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The web console in a real headless Chromium (Debian's chromium and chromium-driver), against an orchestrator with
 * real tokens: an admin signs in, starts the demo workflow from the workflows page, finds it in the list, opens
 * it, sees the operations tree, the diagram and the timeline, sends the callback's success from the page, watches
 * it finish and stops another execution; a read-only token sees no actions and is refused when it tries one.
 * Each page is saved as a screenshot under {@code target/screenshots/}.
 */
class ConsoleBrowserIT {

    private static final String ADMIN_TOKEN = "console-it-admin-token";
    private static final String READ_TOKEN = "console-it-read-token";
    private static final String WORKER_TOKEN = "console-it-worker-token";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String DEMO_INPUT = "{\"inputData\":[\"alpha\",\"beta\",\"gamma\"]}";

    private static TestDatabase db;
    private static ConfigurableApplicationContext orchestrator;
    private static ConfigurableApplicationContext worker;
    private static CairnApi api;
    private static String base;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        db = TestDatabase.create(ConsoleBrowserIT.class);
        orchestrator = Orchestrators.start(db, 0,
                "cairn.security.open=false",
                "cairn.security.tokens[0].name=ops",
                "cairn.security.tokens[0].secret={noop}" + ADMIN_TOKEN,
                "cairn.security.tokens[0].roles=admin",
                "cairn.security.tokens[1].name=viewer",
                "cairn.security.tokens[1].secret={noop}" + READ_TOKEN,
                "cairn.security.tokens[1].roles=read",
                "cairn.security.tokens[2].name=demo-worker",
                "cairn.security.tokens[2].secret={noop}" + WORKER_TOKEN,
                "cairn.security.tokens[2].roles=worker");
        base = Orchestrators.url(orchestrator);
        api = new CairnApi(base, ADMIN_TOKEN);
        worker = Workers.start(DemoWorkerApplication.class, base, "cairn.worker.token=" + WORKER_TOKEN);
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1366,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (worker != null) {
            worker.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.get(base + "/console/login");
        browser.manage().deleteAllCookies();
    }

    @Test
    void anAdminRunsTheDemoWorkflowFromTheConsoleSendsItsCallbackAndStopsAnotherExecution() {
        browser.get(base + "/console/executions");
        assertThat(browser.getCurrentUrl()).contains("/console/login");
        screenshot("login");
        signIn("not-a-token");
        assertThat(text(By.id("login-error"))).contains("not valid");
        signIn(ADMIN_TOKEN);
        assertThat(browser.getCurrentUrl()).endsWith("/console/executions");
        assertThat(text(By.cssSelector(".who"))).contains("ops").contains("admin");

        // start the demo workflow from the workflows page, once the worker has registered it
        waitUntil(() -> {
            browser.get(base + "/console/workflows");
            return !browser.findElements(By.cssSelector("tr[data-workflow='durable-example']")).isEmpty();
        });
        screenshot("workflows");
        new Select(browser.findElement(By.id("start-workflow"))).selectByValue("durable-example");
        WebElement input = browser.findElement(By.id("start-input"));
        input.clear();
        input.sendKeys("{\"inputData\": [");
        browser.findElement(By.cssSelector("#start-form button[type=submit]")).click();
        assertThat(text(By.id("start-input-error"))).startsWith("Not valid JSON");
        assertThat(browser.getCurrentUrl()).endsWith("/console/workflows");
        input.clear();
        input.sendKeys(DEMO_INPUT);
        browser.findElement(By.cssSelector("#start-form button[type=submit]")).click();
        until(ExpectedConditions.urlMatches("/console/executions/[0-9a-f-]{36}$"));
        assertThat(text(By.id("notice"))).startsWith("Started execution");
        String id = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);

        // find it in the list and open it
        browser.findElement(By.linkText("Executions")).click();
        WebElement row = until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-execution-id='" + id + "']")));
        assertThat(row.getText()).contains("durable-example").contains("RUNNING");
        new Select(browser.findElement(By.id("f-workflow"))).selectByValue("durable-example");
        browser.findElement(By.cssSelector("input[name=status][value=RUNNING]")).click();
        browser.findElement(By.cssSelector(".filters button[type=submit]")).click();
        until(ExpectedConditions.urlContains("status=RUNNING"));
        screenshot("executions");
        browser.findElement(By.cssSelector("tr[data-execution-id='" + id + "'] a")).click();
        until(ExpectedConditions.urlContains("/console/executions/" + id));

        // the page refreshes itself until the callback is waiting; then the tree and the diagram show it
        WebElement result = until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                "form.callback-succeed textarea[name=result]")));
        assertThat(browser.findElements(By.cssSelector("#operations-tree li#op-1"))).hasSize(1);
        assertThat(browser.findElement(By.id("op-2-1")).getAttribute("data-status")).isEqualTo("STARTED");
        assertThat(browser.findElements(By.cssSelector("#diagram a.d-node"))).hasSizeGreaterThanOrEqualTo(3);
        assertThat(browser.findElements(By.cssSelector("#timeline rect.t-bar"))).isNotEmpty();
        screenshot("execution-waiting");

        // the JSON is checked in the page before anything is sent
        result.clear();
        result.sendKeys("{approvedBy: ada}");
        browser.findElement(By.cssSelector("form.callback-succeed button[type=submit]")).click();
        assertThat(text(By.cssSelector("form.callback-succeed .field-error"))).startsWith("Not valid JSON");
        assertThat(browser.findElements(By.id("notice"))).isEmpty();
        result = browser.findElement(By.cssSelector("form.callback-succeed textarea[name=result]"));
        result.clear();
        result.sendKeys("{\"approvedBy\":\"ada\"}");
        browser.findElement(By.cssSelector("form.callback-succeed button[type=submit]")).click();
        assertThat(until(ExpectedConditions.visibilityOfElementLocated(By.id("notice"))).getText())
                .startsWith("Sent success to callback").contains("approvedBy");

        // and watches it finish
        new WebDriverWait(browser, TIMEOUT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("execution-status"), "SUCCEEDED"));
        assertThat(text(By.id("execution-result"))).contains("\"approvedBy\" : \"ada\"");
        assertThat(browser.findElements(By.cssSelector("#diagram a.d-node"))).hasSize(24);
        for (String op : List.of("4-1", "4-2", "4-3", "5-1", "5-2", "5-3", "8-1", "8-2")) {
            assertThat(browser.findElements(By.cssSelector("#diagram a[data-operation-id='" + op + "']")))
                    .as("diagram box of operation %s", op).hasSize(1);
        }
        assertThat(browser.findElements(By.cssSelector("#diagram line.d-bar"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#operations-tree li.op"))).hasSize(24);
        assertThat(browser.findElements(By.cssSelector("#operations-tree li.op[data-status=SUCCEEDED]"))).hasSize(24);
        assertThat(browser.findElements(By.cssSelector("#timeline rect.t-gap"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#timeline rect.t-invocation"))).hasSizeGreaterThan(1);
        assertThat(text(By.id("history"))).contains("CallbackSucceeded").contains("ExecutionSucceeded");
        assertThat(browser.findElements(By.cssSelector("section.actions"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("a.child-link"))).hasSize(1);
        screenshot("execution");
        tallScreenshot("execution-overview", 1800);
        tallScreenshot("execution-full", 6000);

        // the chained child links back to its parent
        browser.findElement(By.cssSelector("a.child-link")).click();
        until(ExpectedConditions.presenceOfElementLocated(By.id("parent-link")));
        assertThat(text(By.cssSelector("h1"))).startsWith("Execution");
        assertThat(browser.findElement(By.id("parent-link")).getText()).isEqualTo(id);

        // stop another execution from its page
        String other = api.start("durable-example", "{\"input\":" + DEMO_INPUT + "}");
        browser.get(base + "/console/executions/" + other);
        until(ExpectedConditions.presenceOfElementLocated(By.id("stop-button")));
        browser.findElement(By.id("stop-reason")).sendKeys("not needed any more");
        browser.findElement(By.id("stop-button")).click();
        until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(until(ExpectedConditions.visibilityOfElementLocated(By.id("notice"))).getText())
                .isEqualTo("Stopped execution " + other + ".");
        assertThat(text(By.id("execution-status"))).contains("STOPPED");
        assertThat(text(By.id("execution-error"))).contains("not needed any more");
        assertThat(api.execution(other).get("status").asText()).isEqualTo("STOPPED");
        screenshot("execution-stopped");

        browser.findElement(By.linkText("Workers")).click();
        assertThat(text(By.id("workers"))).contains("LIVE").contains("durable-example v1");
        screenshot("workers");

        browser.findElement(By.cssSelector(".who button")).click();
        until(ExpectedConditions.urlContains("/console/login"));
        browser.get(base + "/console/executions");
        assertThat(browser.getCurrentUrl()).contains("/console/login");
    }

    @Test
    void aReadOnlyTokenSeesNoActionsAndIsRefusedWhenItTriesOne() {
        String id = api.start("durable-example", "{\"input\":" + DEMO_INPUT + "}");
        waitUntil(() -> api.operations(id).stream().anyMatch(o -> o.get("type").asText().equals("CALLBACK")));

        browser.get(base + "/console/executions/" + id);
        assertThat(browser.getCurrentUrl()).contains("/console/login");
        signIn(READ_TOKEN);
        until(ExpectedConditions.urlContains("/console/executions/" + id));
        assertThat(text(By.cssSelector(".who"))).contains("viewer").contains("read");
        assertThat(browser.findElements(By.id("op-2-1"))).hasSize(1);
        assertThat(text(By.id("no-actions"))).contains("may only read");
        assertThat(browser.findElements(By.cssSelector("form.callback-succeed"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("form.callback-fail"))).isEmpty();
        assertThat(browser.findElements(By.id("stop-button"))).isEmpty();
        screenshot("execution-read-only");

        // a stop forged with the session's own CSRF token is refused by role, not only hidden
        ((JavascriptExecutor) browser).executeScript("""
                const f = document.createElement('form');
                f.method = 'post';
                f.action = '/console/executions/' + arguments[0] + '/stop';
                const csrf = document.createElement('input');
                csrf.type = 'hidden'; csrf.name = '_csrf';
                csrf.value = document.querySelector('input[name=_csrf]').value;
                f.appendChild(csrf);
                document.body.appendChild(f);
                f.submit();
                """, id);
        until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Not allowed"));
        assertThat(api.execution(id).get("status").asText()).isEqualTo("RUNNING");

        // and a form without the CSRF token is refused whatever the role
        signInAgainAs(ADMIN_TOKEN);
        ((JavascriptExecutor) browser).executeScript("""
                const f = document.createElement('form');
                f.method = 'post';
                f.action = '/console/executions/' + arguments[0] + '/stop';
                document.body.appendChild(f);
                f.submit();
                """, id);
        until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Form expired"));
        assertThat(api.execution(id).get("status").asText()).isEqualTo("RUNNING");
        api.post("/v1/executions/" + id + "/stop", "{}");
    }

    private void signInAgainAs(String token) {
        browser.manage().deleteAllCookies();
        browser.get(base + "/console/executions");
        signIn(token);
    }

    private static void signIn(String token) {
        WebElement field = until(ExpectedConditions.presenceOfElementLocated(By.id("token")));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        until(detached(field));
    }

    /**
     * The element left the page. Chromium reports a node removed while the next page loads either as a stale
     * element or, during the navigation, as an inspector error saying the node no longer belongs to the document;
     * both mean it is gone.
     */
    private static org.openqa.selenium.support.ui.ExpectedCondition<Boolean> detached(WebElement element) {
        return driver -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        };
    }

    private static String text(By by) {
        return until(ExpectedConditions.visibilityOfElementLocated(by)).getText();
    }

    private static <T> T until(org.openqa.selenium.support.ui.ExpectedCondition<T> condition) {
        return new WebDriverWait(browser, TIMEOUT).until(condition);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, TIMEOUT).pollingEvery(Duration.ofMillis(500))
                .until(d -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    private static void screenshot(String name) {
        try {
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page down to {@code maxHeight}, the window made that tall for a moment. */
    private static void tallScreenshot(String name, int maxHeight) {
        Dimension before = browser.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) browser).executeScript(
                "return Math.ceil(document.documentElement.scrollHeight)");
        browser.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(height + 140, maxHeight)));
        try {
            screenshot(name);
        } finally {
            browser.manage().window().setSize(before);
        }
    }
}

package dev.cairn.bench.dbos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The harness's handle on this JVM: a loopback HTTP server with one thread, so one load runs at a time.
 * <ul>
 * <li>{@code GET /probe[?gc=true]}: {@link ProcessFigures}</li>
 * <li>{@code POST /closed-loop?executions=N&concurrency=C&steps=S}: {@link PeerLoad#closedLoop}, answers
 * {@code {"wallNanos","failed","stepsDone","latencyMs":[…]}}</li>
 * <li>{@code POST /sequential?steps=N}: {@link PeerLoad#sequential}, answers {@code {"micros":[…]}}</li>
 * <li>{@code POST /first-step?samples=N[&gapMs=G]}: {@link PeerLoad#firstStep}, answers {@code {"ms":[…]}}</li>
 * <li>{@code POST /stop}: shuts DBOS down and exits</li>
 * </ul>
 * A load that fails answers 500 with the stack trace as text.
 */
final class ControlServer {

    private final PeerLoad load;
    private final Runnable stop;

    ControlServer(PeerLoad load, Runnable stop) {
        this.load = load;
        this.stop = stop;
    }

    void start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dbos-peer-control");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/probe", ex -> handle(ex, q -> ProcessFigures.json("true".equals(q.get("gc")))));
        server.createContext("/closed-loop", ex -> handle(ex, q -> {
            PeerLoad.ClosedLoop r = load.closedLoop(number(q, "executions"), number(q, "concurrency"),
                    number(q, "steps"));
            return "{\"wallNanos\":" + r.wallNanos() + ",\"failed\":" + r.failed() + ",\"stepsDone\":"
                    + r.stepsDone() + ",\"latencyMs\":" + array(r.latencyMs()) + "}";
        }));
        server.createContext("/sequential", ex -> handle(ex, q -> {
            long[] micros = load.sequential(number(q, "steps"));
            StringBuilder sb = new StringBuilder("{\"micros\":[");
            for (int i = 0; i < micros.length; i++) {
                sb.append(i == 0 ? "" : ",").append(micros[i]);
            }
            return sb.append("]}").toString();
        }));
        server.createContext("/first-step", ex -> handle(ex, q -> "{\"ms\":" + array(load.firstStep(
                number(q, "samples"), Long.parseLong(q.getOrDefault("gapMs", "0")))) + "}"));
        server.createContext("/stop", ex -> {
            handle(ex, q -> "{}");
            new Thread(stop, "dbos-peer-stop").start();
        });
        server.start();
    }

    @FunctionalInterface
    private interface Handler {
        String answer(Map<String, String> query) throws Exception;
    }

    private static void handle(HttpExchange ex, Handler h) throws IOException {
        int status = 200;
        String body;
        try {
            body = h.answer(query(ex));
        } catch (Exception | Error e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            status = e instanceof IllegalArgumentException ? 400 : 500;
            body = sw.toString();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "text/plain");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return q;
    }

    private static int number(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing query parameter " + name);
        }
        int n = Integer.parseInt(v);
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + n);
        }
        return n;
    }

    private static String array(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", values[i]));
        }
        return sb.append(']').toString();
    }
}

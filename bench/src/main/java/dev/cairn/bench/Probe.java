package dev.cairn.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A tiny HTTP server inside each child JVM (orchestrator, worker) that the harness reads: heap, RSS, process CPU
 * time, GC and threads ({@code GET /probe}, {@code ?gc=true} first runs a full GC), and JFR recordings
 * ({@code /jfr/start}, {@code /jfr/stop?file=…}). It runs on its own port and one thread, outside Spring, so it
 * measures the application without being part of it.
 */
final class Probe {

    private static Recording recording;

    private Probe() {
    }

    static void start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-probe");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/probe", ex -> {
            if (query(ex).contains("gc=true")) {
                System.gc();
            }
            answer(ex, 200, snapshot());
        });
        server.createContext("/jfr/start", ex -> {
            try {
                synchronized (Probe.class) {
                    if (recording != null) {
                        recording.close();
                    }
                    recording = new Recording(Configuration.getConfiguration("profile"));
                    recording.setToDisk(true);
                    recording.start();
                }
                answer(ex, 200, "{}");
            } catch (Exception e) {
                answer(ex, 500, "{\"error\":\"" + e + "\"}");
            }
        });
        server.createContext("/jfr/stop", ex -> {
            try {
                String file = java.net.URLDecoder.decode(query(ex).replaceFirst("^file=", ""), StandardCharsets.UTF_8);
                synchronized (Probe.class) {
                    if (recording != null) {
                        recording.stop();
                        recording.dump(Path.of(file));
                        recording.close();
                        recording = null;
                    }
                }
                answer(ex, 200, "{}");
            } catch (Exception e) {
                answer(ex, 500, "{\"error\":\"" + e + "\"}");
            }
        });
        server.start();
    }

    static String snapshot() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        long gcCount = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        long cpu = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            cpu = os.getProcessCpuTime();
        }
        return String.format(Locale.ROOT,
                "{\"pid\":%d,\"heapUsed\":%d,\"heapCommitted\":%d,\"heapMax\":%d,\"nonHeapUsed\":%d,\"rss\":%d,"
                        + "\"cpuNanos\":%d,\"gcCount\":%d,\"gcMs\":%d,\"threads\":%d,\"uptimeMs\":%d,"
                        + "\"compileMs\":%d}",
                ProcessHandle.current().pid(), heap.getUsed(), heap.getCommitted(), heap.getMax(), nonHeap.getUsed(),
                rss(), cpu, gcCount, gcMs, ManagementFactory.getThreadMXBean().getThreadCount(),
                ManagementFactory.getRuntimeMXBean().getUptime(), compileMs());
    }

    /** Time the JIT compilers spent so far (the sum over compiler threads), -1 when not available. */
    private static long compileMs() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Resident set size in bytes from /proc/self/status (Linux), -1 elsewhere. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static String query(HttpExchange ex) {
        String q = ex.getRequestURI().getRawQuery();
        return q == null ? "" : q;
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}

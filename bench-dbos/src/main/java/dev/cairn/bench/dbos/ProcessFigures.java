package dev.cairn.bench.dbos;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * This JVM's heap, RSS, CPU time, JIT time, GC time and threads, as a JSON object with the same keys as the Cairn
 * children's probe, so that the harness reads all three JVMs alike.
 */
final class ProcessFigures {

    private ProcessFigures() {
    }

    static String json(boolean gc) {
        if (gc) {
            System.gc();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long gcMs = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMs += Math.max(0, b.getCollectionTime());
        }
        return String.format(Locale.ROOT, "{\"heapUsed\":%d,\"heapCommitted\":%d,\"heapMax\":%d,\"rss\":%d,"
                        + "\"cpuNanos\":%d,\"compileMs\":%d,\"gcMs\":%d,\"threads\":%d}",
                heap.getUsed(), heap.getCommitted(), heap.getMax(), rss(), cpu,
                jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0, gcMs,
                ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /** Resident set size in bytes, from /proc/self/status; -1 where there is none. */
    private static long rss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}

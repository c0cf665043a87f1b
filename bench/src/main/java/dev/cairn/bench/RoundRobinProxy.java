package dev.cairn.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of the orchestrators, as a Kubernetes Service is: each new connection goes to
 * the next backend in turn, and to the one after it when that one refuses (a killed orchestrator, or one still
 * starting). A connection stays with its backend until either side closes it; a backend killed with -9 takes its
 * connections with it, and the client sees them reset. Backends are slots whose port changes when the process
 * behind them is restarted.
 */
final class RoundRobinProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private final ServerSocket server;
    private final AtomicIntegerArray backends;
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faults-proxy-pump");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong unroutable = new AtomicLong();
    private volatile boolean running = true;

    RoundRobinProxy(int slots) throws IOException {
        backends = new AtomicIntegerArray(slots);
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "faults-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Points slot {@code slot} at {@code port} (0: nothing behind it). */
    void route(int slot, int port) {
        backends.set(slot, port);
    }

    /** Starts the counts afresh (the fault run counts from the start of its fault phase, not from the boot). */
    void resetCounts() {
        connections.set(0);
        refused.set(0);
        unroutable.set(0);
    }

    long connections() {
        return connections.get();
    }

    /** Connection attempts to a backend that refused or did not answer (the proxy then tried the next one). */
    long refused() {
        return refused.get();
    }

    /** Client connections closed at once because no backend took them. */
    long unroutable() {
        return unroutable.get();
    }

    private void accept() {
        while (running) {
            try {
                Socket client = server.accept();
                pumps.execute(() -> connect(client));
            } catch (IOException e) {
                if (running) {
                    System.err.println("[faults] proxy accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void connect(Socket client) {
        int n = backends.length();
        int first = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            int port = backends.get((first + i) % n);
            if (port == 0) {
                continue;
            }
            Socket backend = new Socket();
            try {
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
                backend.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                connections.incrementAndGet();
                open.add(client);
                open.add(backend);
                pumps.execute(() -> pump(backend, client));
                pump(client, backend);
                return;
            } catch (IOException e) {
                refused.incrementAndGet();
                closeQuietly(backend);
            }
        }
        unroutable.incrementAndGet();
        closeQuietly(client);
    }

    /** Copies {@code from} → {@code to} until {@code from} ends; then closes both (the other pump ends too). */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // a reset or a closed socket: the connection is over either way
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(this::closeQuietly);
        pumps.shutdownNow();
    }
}

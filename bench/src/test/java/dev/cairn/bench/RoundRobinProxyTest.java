package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fault run's proxy: connections go to the backends in turn, and past one that refuses. */
class RoundRobinProxyTest {

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void connectionsGoToEachBackendInTurn() throws Exception {
        int first = backend("first");
        int second = backend("second");
        RoundRobinProxy proxy = proxy(2);
        proxy.route(0, first);
        proxy.route(1, second);

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(ask(proxy));
        }

        assertThat(answers).containsExactly("first", "second", "first", "second");
        assertThat(proxy.connections()).isEqualTo(4);
        assertThat(proxy.refused()).isZero();
        assertThat(proxy.unroutable()).isZero();
    }

    @Test
    void aBackendThatRefusesIsPassedOverForTheNext() throws Exception {
        int live = backend("live");
        int dead;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = gone.getLocalPort();
        }
        RoundRobinProxy proxy = proxy(2);
        proxy.route(0, dead);
        proxy.route(1, live);

        assertThat(List.of(ask(proxy), ask(proxy), ask(proxy), ask(proxy))).containsOnly("live");
        assertThat(proxy.connections()).isEqualTo(4);
        assertThat(proxy.refused()).isEqualTo(2);
        assertThat(proxy.unroutable()).isZero();
    }

    private RoundRobinProxy proxy(int slots) throws IOException {
        RoundRobinProxy proxy = new RoundRobinProxy(slots);
        open.add(proxy);
        return proxy;
    }

    /** A backend that answers every connection with its name and closes it. */
    private int backend(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(name.getBytes());
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static String ask(RoundRobinProxy proxy) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes());
        }
    }
}

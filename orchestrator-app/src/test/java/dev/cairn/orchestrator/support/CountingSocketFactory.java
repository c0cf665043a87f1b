package dev.cairn.orchestrator.support;

import dev.cairn.testing.TestDatabase;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.postgresql.ds.PGSimpleDataSource;

/** Sockets that count the writes of every connection they make (pgjdbc's {@code socketFactory}). */
public final class CountingSocketFactory extends SocketFactory {

    public static final AtomicInteger WRITES = new AtomicInteger();

    /** A connection to {@code db} whose socket writes are counted in {@link #WRITES}. */
    public static Connection connect(TestDatabase db) throws SQLException {
        PGSimpleDataSource counted = new PGSimpleDataSource();
        counted.setUrl(db.jdbcUrl());
        counted.setUser(db.user());
        counted.setPassword(db.password());
        counted.setSocketFactory(CountingSocketFactory.class.getName());
        return counted.getConnection();
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public OutputStream getOutputStream() throws IOException {
                return new FilterOutputStream(super.getOutputStream()) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        WRITES.incrementAndGet();
                        out.write(b, off, len);
                    }

                    @Override
                    public void write(int b) throws IOException {
                        WRITES.incrementAndGet();
                        out.write(b);
                    }
                };
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("the driver makes unconnected sockets");
    }

    @Override
    public Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("the driver makes unconnected sockets");
    }

    @Override
    public Socket createSocket(java.net.InetAddress host, int port) {
        throw new UnsupportedOperationException("the driver makes unconnected sockets");
    }

    @Override
    public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
            int localPort) {
        throw new UnsupportedOperationException("the driver makes unconnected sockets");
    }
}

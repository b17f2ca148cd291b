package com.pisync.dynamodb.protocol;

import com.pisync.dynamodb.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine over HTTP/1.1 on 127.0.0.1. Each client connection has its own thread for as long as it is
 * kept alive, so a request is read, executed and answered without a hand-off between threads (the JDK's
 * com.sun.net.httpserver managed only ~250 requests/s here, from hand-offs and separate header/body writes).
 */
public final class HttpEndpoint implements AutoCloseable {

    private final ServerSocket server;
    private final JsonProtocol protocol;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicInteger threads = new AtomicInteger();
    private volatile boolean closed;

    private HttpEndpoint(ServerSocket server, Engine engine) {
        this.server = server;
        this.protocol = new JsonProtocol(engine);
        this.acceptor = new Thread(this::accept, "dynamodb-http-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    public static HttpEndpoint start(Engine engine, int port) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
            HttpEndpoint endpoint = new HttpEndpoint(server, engine);
            endpoint.acceptor.start();
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            connections.add(socket);
            if (closed) {
                closeQuietly(socket);
                return;
            }
            Thread t = new Thread(new HttpConnection(socket, protocol, () -> connections.remove(socket)),
                    "dynamodb-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (Socket s : connections) {
            closeQuietly(s);
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (SocketException e) {
            // already closed
        } catch (Exception e) {
            // closing anyway
        }
    }
}

package com.pisync.dynamodb.protocol;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * One keep-alive HTTP/1.1 connection, served on its own thread: read a request (Content-Length or chunked
 * body, Expect: 100-continue), answer it in a single write (headers and body together, TCP_NODELAY), repeat.
 */
final class HttpConnection implements Runnable {

    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Socket socket;
    private final JsonProtocol protocol;
    private final Runnable onClose;

    HttpConnection(Socket socket, JsonProtocol protocol, Runnable onClose) {
        this.socket = socket;
        this.protocol = protocol;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10 * 60 * 1000);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = socket.getOutputStream();
            while (serveOne(in, out)) {
                // keep-alive: next request on the same connection
            }
        } catch (IOException | RuntimeException e) {
            // client went away, timed out or sent something unreadable (bad Content-Length...): drop it
        } finally {
            onClose.run();
        }
    }

    private boolean serveOne(InputStream in, OutputStream out) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return false;
        }
        if (requestLine.isEmpty()) {
            return true; // stray CRLF between requests
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            write(out, 400, "Bad Request", "text/plain", new byte[0], false);
            return false;
        }
        String method = parts[0];
        boolean http10 = parts[2].equals("HTTP/1.0");
        long contentLength = -1;
        boolean chunked = false;
        boolean keepAlive = !http10;
        boolean expectContinue = false;
        String target = null;
        int headerBytes = 0;
        for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
            headerBytes += line.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                write(out, 431, "Request Header Fields Too Large", "text/plain", new byte[0], false);
                return false;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length":
                    contentLength = Long.parseLong(value);
                    break;
                case "transfer-encoding":
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    break;
                case "connection":
                    String v = value.toLowerCase(Locale.ROOT);
                    keepAlive = v.contains("close") ? false : v.contains("keep-alive") || keepAlive;
                    break;
                case "expect":
                    expectContinue = value.equalsIgnoreCase("100-continue");
                    break;
                case "x-amz-target":
                    target = value;
                    break;
                default:
                    break;
            }
        }
        if (contentLength > MAX_BODY_BYTES) {
            write(out, 413, "Request Entity Too Large", "text/plain", new byte[0], false);
            return false;
        }
        if (expectContinue) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        byte[] body = chunked ? readChunked(in) : readFixed(in, Math.max(0, contentLength));
        JsonProtocol.Answer answer = protocol.handle(method, target, body);
        write(out, answer.status(), reason(answer.status()), "application/x-amz-json-1.0", answer.body(), keepAlive);
        return keepAlive;
    }

    private static void write(OutputStream out, int status, String reason, String contentType, byte[] body,
            boolean keepAlive) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(body);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "x-amzn-RequestId: " + requestId() + "\r\n"
                + "x-amz-crc32: " + crc.getValue() + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        out.write(all);
        out.flush();
    }

    private static String reason(int status) {
        switch (status) {
            case 200:
                return "OK";
            case 400:
                return "Bad Request";
            case 500:
                return "Internal Server Error";
            default:
                return "Error";
        }
    }

    private static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016X%016X", r.nextLong(), r.nextLong()).substring(0, 32);
    }

    /** A CRLF-terminated line as ISO-8859-1, or null at end of stream before any byte (when allowed). */
    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) b);
            if (sb.length() > MAX_HEADER_BYTES) {
                throw new IOException("header line too long");
            }
        }
        if (eofAllowed && sb.length() == 0) {
            return null;
        }
        throw new EOFException();
    }

    private static byte[] readFixed(InputStream in, long length) throws IOException {
        byte[] body = new byte[(int) length];
        int off = 0;
        while (off < body.length) {
            int n = in.read(body, off, body.length - off);
            if (n < 0) {
                throw new EOFException();
            }
            off += n;
        }
        return body;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, false);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                while (!readLine(in, false).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            if (body.size() + size > MAX_BODY_BYTES) {
                throw new IOException("request too large");
            }
            body.write(readFixed(in, size));
            readLine(in, false);
        }
    }
}

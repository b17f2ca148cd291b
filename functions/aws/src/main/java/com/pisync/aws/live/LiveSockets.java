package com.pisync.aws.live;

/**
 * Where live messages go: the port of the fan-out, with two adapters — API Gateway's Management API on AWS
 * ({@code PostToConnection}), the local runner's own WebSocket server locally.
 */
public interface LiveSockets {

    /**
     * Sends one text message to one connection.
     *
     * @return false when the connection is gone (closed, never existed): the fan-out forgets it
     */
    boolean send(String connectionId, String message);
}

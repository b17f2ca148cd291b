package com.pisync.aws.ports;

/**
 * The credential version whose tokens the ingest function accepts for a device, or that it accepts none (revoked).
 * It only moves forward: a slow writer of an older version cannot revive it.
 */
public interface DeviceCredentials {

    /**
     * Records {@code version} (revoked or not) unless a newer version is recorded; the same version may still be
     * revoked. A version older than the recorded one changes nothing.
     */
    void putCredential(String deviceId, long version, boolean revoked);
}

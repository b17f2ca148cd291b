package com.pisync.memory;

import com.pisync.aws.ports.DeviceCredentials;
import java.util.HashMap;
import java.util.Map;

/** Devices' credential versions in memory, moving forward only (as the table's condition allows). */
public final class MemoryDeviceCredentials implements DeviceCredentials {

    /** A device's recorded credential. */
    public record Credential(long version, boolean revoked) {
    }

    private final Map<String, Credential> credentials = new HashMap<>();

    @Override
    public synchronized void putCredential(String deviceId, long version, boolean revoked) {
        Credential now = credentials.get(deviceId);
        if (now == null || now.version() < version || now.version() == version && revoked) {
            credentials.put(deviceId, new Credential(version, revoked));
        }
    }

    /** The device's recorded credential, or null when none is. */
    public synchronized Credential get(String deviceId) {
        return credentials.get(deviceId);
    }
}

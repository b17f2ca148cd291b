package com.pisync.aws.dynamodb;

import com.pisync.aws.audit.AuditContext;
import com.pisync.aws.ports.DeviceRegistrar;
import com.pisync.domain.Device;
import com.pisync.domain.DeviceProfile;

/** {@link DeviceRegistrar} on the devices table ({@link DeviceRegistry}), audited in the same transaction. */
public final class DynamoDeviceRegistrar implements DeviceRegistrar {

    private final DeviceRegistry registry;
    private final DynamoAuditLog audit;

    public DynamoDeviceRegistrar(DeviceRegistry registry, DynamoAuditLog audit) {
        this.registry = registry;
        this.audit = audit;
    }

    @Override
    public Device get(String deviceId, boolean consistent) {
        return DeviceReadModel.fromItem(registry.get(deviceId, consistent));
    }

    @Override
    public Device register(DeviceProfile profile, AuditContext context) {
        return DeviceReadModel.fromItem(registry.register(profile, context.at(), trail(context)));
    }

    @Override
    public Device patch(String deviceId, DeviceProfile change, AuditContext context) {
        return DeviceReadModel.fromItem(registry.patch(deviceId, change, trail(context)));
    }

    @Override
    public Outcome decommission(String deviceId, AuditContext context) {
        return outcome(registry.decommission(deviceId, context.at(), trail(context)));
    }

    @Override
    public Credential rotateToken(String deviceId, AuditContext context) {
        DeviceRegistry.Credential c = registry.rotateToken(deviceId, trail(context));
        return new Credential(outcome(c.outcome()), c.version());
    }

    private DeviceRegistry.AuditTrail trail(AuditContext context) {
        return new DeviceRegistry.AuditTrail(audit, context);
    }

    private static Outcome outcome(DeviceRegistry.Outcome o) {
        return Outcome.valueOf(o.name());
    }
}

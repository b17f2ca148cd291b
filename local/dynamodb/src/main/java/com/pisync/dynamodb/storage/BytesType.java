package com.pisync.dynamodb.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/** MVStore keys and values as byte arrays ordered as unsigned bytes: the order {@link KeyCodec} preserves. */
public final class BytesType extends BasicDataType<byte[]> {

    public static final BytesType INSTANCE = new BytesType();

    private BytesType() {
    }

    @Override
    public int getMemory(byte[] obj) {
        return 24 + obj.length;
    }

    @Override
    public void write(WriteBuffer buff, byte[] obj) {
        buff.putVarInt(obj.length);
        buff.put(obj);
    }

    @Override
    public byte[] read(ByteBuffer buff) {
        byte[] bytes = new byte[DataUtils.readVarInt(buff)];
        buff.get(bytes);
        return bytes;
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Override
    public byte[][] createStorage(int size) {
        return new byte[size][];
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof BytesType;
    }

    @Override
    public int hashCode() {
        return BytesType.class.hashCode();
    }
}

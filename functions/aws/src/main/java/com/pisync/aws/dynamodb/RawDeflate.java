package com.pisync.aws.dynamodb;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Raw DEFLATE for values stored compressed (in-flight keys, an upload's events): an item is billed by its bytes. */
final class RawDeflate {

    private RawDeflate() {
    }

    /** Raw DEFLATE (no zlib header or checksum) at the best compression. */
    static byte[] pack(byte[] plain) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true); // raw: no zlib header or checksum
        try {
            deflater.setInput(plain);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length);
            byte[] buffer = new byte[512];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The bytes of a {@link #pack packed} value; {@code what} names it in errors. */
    static byte[] unpack(byte[] packed, String what) {
        Inflater inflater = new Inflater(true);
        try {
            // raw DEFLATE needs one byte past the end of its input to finish (java.util.zip.Inflater's contract)
            byte[] input = java.util.Arrays.copyOf(packed, packed.length + 1);
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length * 4);
            byte[] buffer = new byte[512];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException(what + ": truncated value");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException(what + ": not a DEFLATE value", e);
        } finally {
            inflater.end();
        }
    }
}

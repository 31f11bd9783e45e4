package org.topiary.sparsity.dl4j.persist.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.topiary.sparsity.dl4j.persist.CorruptModelFileException;
import org.topiary.sparsity.dl4j.persist.UnsupportedFormatVersionException;
import org.topiary.sparsity.internal.Arrays4j;

/**
 * The {@code topiary/masks.bin} entry: BOOL masks, one bit per element. Big-endian:
 *
 * <pre>
 * "TPMK"            4 bytes magic
 * u16 version       1
 * u32 count
 * count times:
 *   u16 n, n bytes  param id, UTF-8
 *   u8 rank, rank x i64 shape
 *   ceil(size/8) bytes: element i (C order) is bit i%8, LSB first, of byte i/8; 1 = kept
 * </pre>
 */
public final class MaskCodec {
    public static final String ENTRY = "topiary/masks.bin";
    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'T', 'P', 'M', 'K'};

    private MaskCodec() {}

    public static byte[] encode(Map<String, INDArray> masks) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeShort(VERSION);
            out.writeInt(masks.size());
            for (Map.Entry<String, INDArray> e : masks.entrySet()) {
                byte[] id = e.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeShort(id.length);
                out.write(id);
                long[] shape = e.getValue().shape();
                out.writeByte(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                out.write(BitPacking.pack(Arrays4j.toBooleanC(e.getValue(), e.getValue().length())));
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    public static Map<String, INDArray> decode(Path file, byte[] data) throws CorruptModelFileException, UnsupportedFormatVersionException {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw corrupt(file, "does not start with TPMK; it was not written by Topiary");
            }
            int version = Short.toUnsignedInt(in.getShort());
            if (version < 1 || version > VERSION) {
                throw new UnsupportedFormatVersionException(file, "entry " + ENTRY, version, VERSION);
            }
            long count = Integer.toUnsignedLong(in.getInt());
            Map<String, INDArray> masks = new LinkedHashMap<>();
            for (long m = 0; m < count; m++) {
                byte[] id = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(id);
                String name = new String(id, StandardCharsets.UTF_8);
                int rank = Byte.toUnsignedInt(in.get());
                if (rank < 1 || rank > 8) {
                    throw corrupt(file, "mask '" + name + "' has rank " + rank + "; expected 1 to 8");
                }
                long[] shape = new long[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = in.getLong();
                    if (shape[i] < 1 || shape[i] > Integer.MAX_VALUE || size * shape[i] > Integer.MAX_VALUE) {
                        throw corrupt(file, "mask '" + name + "' has an invalid shape " + Arrays.toString(Arrays.copyOf(shape, i + 1)));
                    }
                    size *= shape[i];
                }
                byte[] packed = new byte[BitPacking.bytesFor(size)];
                in.get(packed);
                boolean[] kept = BitPacking.unpack(packed, (int) size);
                if (kept == null) {
                    throw corrupt(file, "mask '" + name + "' has padding bits set");
                }
                if (masks.put(name, Arrays4j.boolMask(kept, shape)) != null) {
                    throw corrupt(file, "holds two masks for '" + name + "'");
                }
            }
            if (in.hasRemaining()) {
                throw corrupt(file, "has " + in.remaining() + " unexpected bytes after the last mask");
            }
            return masks;
        } catch (BufferUnderflowException e) {
            throw corrupt(file, "ends early (truncated)");
        }
    }

    private static CorruptModelFileException corrupt(Path file, String what) {
        return new CorruptModelFileException(file, "entry " + ENTRY + " " + what + ". Use an intact copy of the file.");
    }
}

package org.topiary.sparsity.dl4j.persist;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.sparsity.dl4j.persist.internal.AtomicFiles;
import org.topiary.sparsity.dl4j.persist.internal.BitPacking;
import org.topiary.sparsity.dl4j.persist.internal.Dl4jModels;
import org.topiary.sparsity.dl4j.persist.internal.ModelZip;

/**
 * Topiary's sparse model format ({@code .tsm}): the DL4J configuration plus every parameter
 * tensor, each stored either as a bitmask of non-zero positions plus the non-zero values, or dense
 * when that is smaller. The whole payload is deflated. Inference only: no updater state, no
 * pruning state. Version 2 adds one section, the N:M or block pattern metadata ({@link
 * TensorPattern}), and is written only when there is any; other models are written as version 1.
 * The byte layout is specified in {@code docs/sparse-format.md}.
 *
 * <p>Round trip: {@link #read(Path)} returns a model whose {@code params()} equal the exported
 * ones bit for bit, except that a negative zero ({@code -0.0}, which masking by multiplication
 * produces for negative pruned weights) comes back as {@code +0.0}: zeros of either sign are not
 * stored. Outputs are identical.
 */
public final class SparseModelFormat {
    /** The 8 magic bytes: {@code 0x89 'T' 'S' 'M' '\r' '\n' 0x1A '\n'}. */
    static final byte[] MAGIC = {(byte) 0x89, 'T', 'S', 'M', '\r', '\n', 0x1A, '\n'};

    /**
     * The newest version this code writes (version 2 = version 1 plus pattern metadata, written
     * only when there are patterns); it reads versions 1 to this.
     */
    public static final int VERSION = 2;

    static final int HEADER_BYTES = 24;
    static final int FLAG_DEFLATE = 1;
    private static final int ENCODING_DENSE = 0;
    private static final int ENCODING_BITMASK = 1;
    private static final int KIND_MLN = 1;
    private static final int KIND_CG = 2;
    private static final int DTYPE_FLOAT = 1;
    private static final int DTYPE_DOUBLE = 2;

    private SparseModelFormat() {}

    /**
     * Writes {@code model} to {@code out} (replaced atomically).
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException when a param is neither FLOAT nor DOUBLE
     */
    public static long write(Model model, Path out) throws IOException {
        return write(model, null, out);
    }

    /**
     * Writes {@code model} to {@code out} (replaced atomically) with the N:M or block pattern
     * metadata of {@code state} ({@link TensorPattern#listFor}): version 2 when there is any,
     * version 1 otherwise. {@code state} may be null.
     *
     * @return the number of bytes written
     */
    public static long write(Model model, org.topiary.sparsity.dl4j.PruningState state, Path out) throws IOException {
        AtomicFiles.checkWritableTarget(out);
        byte[] bytes = encode(model, TensorPattern.listFor(model, state));
        AtomicFiles.write(out, o -> o.write(bytes));
        return bytes.length;
    }

    /**
     * Exports a model file (a {@link PrunedModels} or plain DL4J zip) to the sparse format, with the
     * pattern metadata of its pruning state if it has an N:M or block pattern.
     */
    public static long export(Path dl4jZip, Path out) throws IOException {
        AtomicFiles.checkWritableTarget(out);
        RestoredModel r = PrunedModels.restore(dl4jZip);
        return write(r.model(), r.state().orElse(null), out);
    }

    /** The whole file as bytes (version 1, no pattern metadata). */
    public static byte[] encode(Model model) {
        return encode(model, java.util.List.of());
    }

    /** The whole file as bytes: version 2 with {@code patterns} if there are any, else version 1. */
    public static byte[] encode(Model model, java.util.List<TensorPattern> patterns) {
        int version = patterns.isEmpty() ? 1 : 2;
        String kind = Dl4jModels.kind(model);
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            DeflaterOutputStream deflate = new DeflaterOutputStream(payload, new Deflater(Deflater.BEST_COMPRESSION, true), 1 << 16);
            DataOutputStream d = new DataOutputStream(deflate);
            d.writeByte(kind.equals(Dl4jModels.CG) ? KIND_CG : KIND_MLN);
            byte[] conf = Dl4jModels.configJson(model).getBytes(StandardCharsets.UTF_8);
            d.writeInt(conf.length);
            d.write(conf);
            Map<String, INDArray> params = model.paramTable();
            d.writeInt(params.size());
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                writeTensor(d, e.getKey(), e.getValue());
            }
            if (version == 2) {
                byte[] meta = org.topiary.sparsity.dl4j.persist.internal.PatternJson.encode(patterns);
                d.writeInt(meta.length);
                d.write(meta);
            }
            d.flush();
            deflate.finish();
            byte[] p = payload.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(p);
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            header.put(MAGIC).putShort((short) version).putShort((short) FLAG_DEFLATE).putLong(p.length).putInt((int) crc.getValue());
            byte[] out = new byte[HEADER_BYTES + p.length];
            System.arraycopy(header.array(), 0, out, 0, HEADER_BYTES);
            System.arraycopy(p, 0, out, HEADER_BYTES, p.length);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    private static void writeTensor(DataOutputStream d, String id, INDArray p) throws IOException {
        int dtype;
        if (p.dataType() == DataType.FLOAT) {
            dtype = DTYPE_FLOAT;
        } else if (p.dataType() == DataType.DOUBLE) {
            dtype = DTYPE_DOUBLE;
        } else {
            throw new IllegalArgumentException(
                    "param '" + id + "' is " + p.dataType() + "; the sparse format v1 stores FLOAT and DOUBLE params."
                            + " Convert the model first, e.g. net.convertDataType(DataType.FLOAT)");
        }
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        d.writeShort(idBytes.length);
        d.write(idBytes);
        d.writeByte(dtype);
        long[] shape = p.shape();
        d.writeByte(shape.length);
        for (long s : shape) {
            d.writeLong(s);
        }
        int n = Math.toIntExact(p.length());
        int width = dtype == DTYPE_FLOAT ? 4 : 8;
        INDArray c = p.dup('c');
        long[] raw = new long[n];
        if (dtype == DTYPE_FLOAT) {
            float[] f = c.data().asFloat();
            for (int i = 0; i < n; i++) {
                raw[i] = Float.floatToRawIntBits(f[i]) & 0xffffffffL;
            }
        } else {
            double[] f = c.data().asDouble();
            for (int i = 0; i < n; i++) {
                raw[i] = Double.doubleToRawLongBits(f[i]);
            }
        }
        long signBit = dtype == DTYPE_FLOAT ? 0x80000000L : Long.MIN_VALUE;
        boolean[] nonZero = new boolean[n];
        int nnz = 0;
        for (int i = 0; i < n; i++) {
            nonZero[i] = (raw[i] & ~signBit) != 0;
            if (nonZero[i]) {
                nnz++;
            }
        }
        long sparseBytes = 8L + BitPacking.bytesFor(n) + (long) nnz * width;
        if (sparseBytes < (long) n * width) {
            d.writeByte(ENCODING_BITMASK);
            d.writeLong(nnz);
            d.write(BitPacking.pack(nonZero));
            long[] vals = new long[nnz];
            int j = 0;
            for (int i = 0; i < n; i++) {
                if (nonZero[i]) {
                    vals[j++] = raw[i];
                }
            }
            writePlanes(d, vals, width);
        } else {
            d.writeByte(ENCODING_DENSE);
            writePlanes(d, raw, width);
        }
    }

    /** Values byte-plane by byte-plane, most significant plane first (groups the exponent bytes for deflate). */
    private static void writePlanes(DataOutputStream d, long[] vals, int width) throws IOException {
        for (int b = width - 1; b >= 0; b--) {
            for (long v : vals) {
                d.writeByte((int) (v >>> (8 * b)));
            }
        }
    }


    /**
     * Reads a sparse model file back into an initialised DL4J model.
     *
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     * @throws CorruptModelFileException bad magic, truncated, CRC mismatch, malformed payload
     * @throws UnsupportedFormatVersionException a version newer than {@link #VERSION}
     */
    public static Model read(Path file) throws IOException {
        ModelZip.requireRegularFile(file, "sparse model file");
        return decode(file, Files.readAllBytes(file));
    }

    /** True when {@code file} starts with the sparse format's magic bytes. */
    public static boolean isSparseFile(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < MAGIC.length) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    /** Decodes the bytes of a sparse file; {@code file} is only used in messages. */
    public static Model decode(Path file, byte[] bytes) throws ModelFileException {
        return decodeFull(file, bytes).model();
    }

    /** A decoded file: the model and its pattern metadata (empty for version 1). */
    private record Decoded(Model model, java.util.List<TensorPattern> patterns) {}

    /**
     * The N:M or block pattern metadata of a sparse model file (version 2), or an empty list
     * (version 1 files have none). Verifies the whole file like {@link #read(Path)}.
     */
    public static java.util.List<TensorPattern> readPatterns(Path file) throws IOException {
        ModelZip.requireRegularFile(file, "sparse model file");
        return decodeFull(file, Files.readAllBytes(file)).patterns();
    }

    private static Decoded decodeFull(Path file, byte[] bytes) throws ModelFileException {
        if (bytes.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new CorruptModelFileException(
                    file, "is not a Topiary sparse model file (bad magic bytes); for DL4J zips use PrunedModels.restore, and make sure the file was not altered by a text-mode transfer");
        }
        if (bytes.length < HEADER_BYTES) {
            throw truncated(file, bytes.length, HEADER_BYTES);
        }
        ByteBuffer h = ByteBuffer.wrap(bytes, MAGIC.length, HEADER_BYTES - MAGIC.length);
        int version = Short.toUnsignedInt(h.getShort());
        if (version < 1 || version > VERSION) {
            throw new UnsupportedFormatVersionException(file, "Topiary sparse format", version, VERSION);
        }
        int flags = Short.toUnsignedInt(h.getShort());
        if ((flags & ~FLAG_DEFLATE) != 0) {
            throw new CorruptModelFileException(file, "has unknown flags 0x" + Integer.toHexString(flags) + " in its header; the file is damaged or from a newer Topiary");
        }
        long length = h.getLong();
        int crcExpected = h.getInt();
        if (length < 0 || HEADER_BYTES + length > bytes.length) {
            throw truncated(file, bytes.length, HEADER_BYTES + length);
        }
        if (HEADER_BYTES + length < bytes.length) {
            throw new CorruptModelFileException(file, "has " + (bytes.length - HEADER_BYTES - length) + " unexpected bytes after the payload; the file is damaged");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, HEADER_BYTES, (int) length);
        if ((int) crc.getValue() != crcExpected) {
            throw new CorruptModelFileException(file, "fails its CRC-32 check (the payload is damaged); export the model again");
        }
        byte[] payload = (flags & FLAG_DEFLATE) != 0 ? inflate(file, bytes, (int) length) : Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length);
        try {
            return parsePayload(file, ByteBuffer.wrap(payload), version);
        } catch (BufferUnderflowException e) {
            throw new CorruptModelFileException(file, "payload ends early; the file is damaged", e);
        }
    }

    private static CorruptModelFileException truncated(Path file, long have, long need) {
        return new CorruptModelFileException(
                file, "is truncated: " + have + " bytes, but its header needs " + need + "; copy or export the file again");
    }

    private static byte[] inflate(Path file, byte[] bytes, int length) throws CorruptModelFileException {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(bytes, HEADER_BYTES, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(length * 4);
            byte[] buf = new byte[1 << 16];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new CorruptModelFileException(file, "payload ends early; the file is damaged");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new CorruptModelFileException(file, "payload is not valid deflate data (" + e.getMessage() + "); the file is damaged", e);
        } finally {
            inf.end();
        }
    }

    private static Decoded parsePayload(Path file, ByteBuffer in, int version) throws ModelFileException {
        int kindCode = Byte.toUnsignedInt(in.get());
        if (kindCode != KIND_MLN && kindCode != KIND_CG) {
            throw new CorruptModelFileException(file, "model kind " + kindCode + " is unknown (1 = MultiLayerNetwork, 2 = ComputationGraph)");
        }
        byte[] conf = new byte[checkedLength(file, in, in.getInt(), "configuration")];
        in.get(conf);
        Model model;
        try {
            model = Dl4jModels.fromConfigJson(kindCode == KIND_CG ? Dl4jModels.CG : Dl4jModels.MLN, new String(conf, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new CorruptModelFileException(file, "DL4J cannot read the stored configuration (" + e.getMessage() + ")", e);
        }
        Map<String, INDArray> params = model.paramTable();
        Set<String> missing = new LinkedHashSet<>(params.keySet());
        int count = in.getInt();
        if (count < 0 || count > params.size()) {
            throw new CorruptModelFileException(file, "holds " + Integer.toUnsignedString(count) + " tensors but the model has " + params.size() + " params");
        }
        for (int t = 0; t < count; t++) {
            byte[] idBytes = new byte[Short.toUnsignedInt(in.getShort())];
            in.get(idBytes);
            String id = new String(idBytes, StandardCharsets.UTF_8);
            INDArray target = params.get(id);
            if (target == null || !missing.remove(id)) {
                throw new CorruptModelFileException(file, "holds tensor '" + id + "', which the stored configuration has no (other) param for; params: " + params.keySet());
            }
            int dtype = Byte.toUnsignedInt(in.get());
            if (dtype != DTYPE_FLOAT && dtype != DTYPE_DOUBLE) {
                throw new CorruptModelFileException(file, "tensor '" + id + "' has unknown dtype code " + dtype + " (1 = FLOAT, 2 = DOUBLE)");
            }
            int rank = Byte.toUnsignedInt(in.get());
            long[] shape = new long[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = in.getLong();
            }
            if (!Arrays.equals(shape, target.shape())) {
                throw new CorruptModelFileException(file, "tensor '" + id + "' has shape " + Arrays.toString(shape) + " but the stored configuration gives " + Arrays.toString(target.shape()));
            }
            DataType dt = dtype == DTYPE_FLOAT ? DataType.FLOAT : DataType.DOUBLE;
            if (dt != target.dataType()) {
                throw new CorruptModelFileException(file, "tensor '" + id + "' is " + dt + " but the stored configuration makes it " + target.dataType());
            }
            int n = Math.toIntExact(target.length());
            int width = dtype == DTYPE_FLOAT ? 4 : 8;
            long[] raw = new long[n];
            int encoding = Byte.toUnsignedInt(in.get());
            if (encoding == ENCODING_DENSE) {
                raw = readPlanes(in, n, width);
            } else if (encoding == ENCODING_BITMASK) {
                long nnz = in.getLong();
                byte[] packed = new byte[BitPacking.bytesFor(n)];
                in.get(packed);
                boolean[] nonZero = BitPacking.unpack(packed, n);
                if (nonZero == null || BitPacking.count(packed) != nnz) {
                    throw new CorruptModelFileException(file, "tensor '" + id + "' has a bitmask that does not match its non-zero count " + nnz);
                }
                if (nnz > n) {
                    throw new CorruptModelFileException(file, "tensor '" + id + "' claims " + nnz + " non-zeros but has " + n + " elements");
                }
                long[] vals = readPlanes(in, (int) nnz, width);
                for (int i = 0, j = 0; i < n; i++) {
                    if (nonZero[i]) {
                        raw[i] = vals[j++];
                    }
                }
            } else {
                throw new CorruptModelFileException(file, "tensor '" + id + "' has unknown encoding " + encoding + " (0 = dense, 1 = bitmask)");
            }
            INDArray values;
            if (width == 4) {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = Float.intBitsToFloat((int) raw[i]);
                }
                values = Nd4j.create(f, shape, 'c');
            } else {
                double[] f = new double[n];
                for (int i = 0; i < n; i++) {
                    f[i] = Double.longBitsToDouble(raw[i]);
                }
                values = Nd4j.create(f, shape, 'c');
            }
            target.assign(values);
        }
        if (!missing.isEmpty()) {
            throw new CorruptModelFileException(file, "has no values for params " + missing + "; the file is incomplete");
        }
        java.util.List<TensorPattern> patterns = java.util.List.of();
        if (version >= 2) {
            byte[] meta = new byte[checkedLength(file, in, in.getInt(), "pattern metadata")];
            in.get(meta);
            patterns = org.topiary.sparsity.dl4j.persist.internal.PatternJson.decode(file, meta);
            for (TensorPattern t : patterns) {
                INDArray p = params.get(t.id());
                if (p == null || p.length() != t.outputs() * t.inputs()) {
                    throw new CorruptModelFileException(file, "pattern metadata names tensor '" + t.id()
                            + "', which the model has no param of " + t.outputs() + " x " + t.inputs() + " elements for");
                }
            }
        }
        if (in.hasRemaining()) {
            throw new CorruptModelFileException(file, "has " + in.remaining() + " unexpected bytes after the last "
                    + (version >= 2 ? "section" : "tensor") + "; the file is damaged");
        }
        return new Decoded(model, patterns);
    }

    private static int checkedLength(Path file, ByteBuffer in, int n, String what) throws CorruptModelFileException {
        if (n < 0 || n > in.remaining()) {
            throw new CorruptModelFileException(file, "the " + what + " length " + Integer.toUnsignedString(n) + " exceeds the payload; the file is damaged");
        }
        return n;
    }

    private static long[] readPlanes(ByteBuffer in, int count, int width) {
        if ((long) count * width > in.remaining()) {
            throw new BufferUnderflowException();
        }
        long[] vals = new long[count];
        for (int b = width - 1; b >= 0; b--) {
            for (int i = 0; i < count; i++) {
                vals[i] |= (in.get() & 0xffL) << (8 * b);
            }
        }
        return vals;
    }

    /** Bytes of a dense DL4J zip of {@code model} without updater state, for size comparisons. */
    public static long denseZipBytes(Model model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(model, out, false);
        return out.size();
    }
}

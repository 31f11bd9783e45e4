package org.topiary.distill.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.topiary.distill.CacheOptions;
import org.topiary.distill.ImageShifts;
import org.topiary.distill.TeacherSource;

/**
 * Teacher logits computed once and looked up by a hash of each example's features ({@link
 * FeatureHash}), held in memory or in a file.
 *
 * <p>File format (big-endian), version 1: an 8-byte magic {@code TPKDLOG1}, int32 version, int32
 * number of classes, int32 top-k (0 = all logits), int32 reserved, int64 record count; then the
 * records, each an int64 feature hash followed by the {@link LogitCodec} payload.
 */
public final class CachedTeacher implements TeacherSource {
    private static final byte[] MAGIC = "TPKDLOG1".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 32;

    private final LogitCodec codec;
    private final LongLongMap index;
    private final Store store;
    private final String description;

    private CachedTeacher(LogitCodec codec, LongLongMap index, Store store, String description) {
        this.codec = codec;
        this.index = index;
        this.store = store;
        this.description = description;
    }

    /** Where records live: heap chunks or a file. */
    private interface Store extends AutoCloseable {
        void append(ByteBuffer record) throws IOException;

        void read(long record, ByteBuffer dst) throws IOException;

        long count();

        /** Ends writing; afterwards only reads. */
        void finish() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Runs {@code teacher} over {@code data} once; see {@link TeacherSource#cached}. */
    public static CachedTeacher build(TeacherSource teacher, DataSetIterator data, CacheOptions options) {
        if (teacher == null || data == null || options == null) {
            throw new IllegalArgumentException("teacher, data and options must not be null");
        }
        if (!data.hasNext() && data.resetSupported()) {
            data.reset();
        }
        LongLongMap index = new LongLongMap();
        LogitCodec codec = null;
        Store store = null;
        ByteBuffer record = null;
        ByteBuffer stored = null;
        long seen = 0;
        try {
            ImageShifts shifts = options.shifts().orElse(null);
            int copies = shifts == null ? 1 : shifts.size();
            while (data.hasNext()) {
                DataSet batch = data.next();
                for (int copy = 0; copy < copies; copy++) {
                    INDArray x = shifts == null ? batch.getFeatures() : shifts.apply(batch.getFeatures(), copy);
                    INDArray z = teacher.logits(x);
                    long[] hashes = FeatureHash.rows(x);
                    if (z.rank() != 2 || z.size(0) != hashes.length) {
                        throw new IllegalArgumentException(
                                "the teacher gave logits of shape " + Arrays.toString(z.shape()) + " for features of shape "
                                        + Arrays.toString(x.shape()) + "; expected [" + hashes.length
                                        + ", classes]");
                    }
                    if (codec == null) {
                        codec = new LogitCodec((int) z.size(1), options.topK());
                        store = options.file().isPresent()
                                ? FileStore.create(options.file().get(), codec)
                                : new HeapStore(8 + codec.payloadBytes);
                        record = ByteBuffer.allocate(8 + codec.payloadBytes);
                        stored = ByteBuffer.allocate(8 + codec.payloadBytes);
                    } else if (z.size(1) != codec.numClasses) {
                        throw new IllegalArgumentException(
                                "the teacher gave logits of shape " + Arrays.toString(z.shape()) + " after earlier batches"
                                        + " of [batch, " + codec.numClasses + "]");
                    }
                    float[] rows = z.castTo(DataType.FLOAT).dup('c').data().asFloat();
                    for (int i = 0; i < hashes.length; i++) {
                        seen++;
                        record.clear();
                        record.putLong(hashes[i]);
                        codec.encode(rows, i * codec.numClasses, record);
                        record.flip();
                        long existing = index.get(hashes[i]);
                        if (existing >= 0) {
                            stored.clear();
                            store.read(existing, stored);
                            checkSameExample(codec, record, stored, hashes[i]);
                            continue;
                        }
                        index.put(hashes[i], store.count());
                        store.append(record);
                    }
                }
            }
            if (codec == null) {
                throw new IllegalArgumentException(
                        "the data iterator yielded no examples to cache (is it exhausted and not resettable?)");
            }
            store.finish();
        } catch (IOException e) {
            closeQuietly(store);
            throw new UncheckedIOException("cannot write the teacher cache " + options.file().orElse(null), e);
        } catch (RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
        String where = options.file().map(p -> "file " + p).orElse("memory")
                + options.shifts().map(s -> ", " + s.size() + " shifted copies each").orElse("");
        return new CachedTeacher(
                codec, index, store,
                "cached teacher (" + index.size() + " distinct of " + seen + " examples, " + where
                        + (codec.topK == 0 ? "" : ", top " + codec.topK) + ")");
    }

    private static void checkSameExample(LogitCodec codec, ByteBuffer a, ByteBuffer b, long hash) {
        float[] x = new float[codec.numClasses];
        float[] y = new float[codec.numClasses];
        a.position(8);
        codec.decode(a, x, 0);
        a.rewind();
        b.flip();
        b.position(8);
        codec.decode(b, y, 0);
        for (int c = 0; c < x.length; c++) {
            if (Math.abs(x[c] - y[c]) > 1e-3 * (1 + Math.abs(x[c]))) {
                throw new IllegalStateException(
                        "feature hash collision: two examples with hash " + Long.toHexString(hash)
                                + " have different teacher logits (class " + c + ": " + x[c] + " vs " + y[c]
                                + "); this is a 2^-64 event, please report it. Use TeacherSource.online instead.");
            }
        }
    }

    /** Opens a cache file; see {@link TeacherSource#openCache(Path)}. */
    public static CachedTeacher open(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("teacher cache file " + file + " not found");
        }
        FileStore store = null;
        try {
            store = FileStore.open(file);
            LogitCodec codec = store.codec;
            LongLongMap index = new LongLongMap();
            ByteBuffer rec = ByteBuffer.allocate(8 + codec.payloadBytes);
            for (long r = 0; r < store.count(); r++) {
                rec.clear();
                store.read(r, rec);
                rec.flip();
                index.put(rec.getLong(), r);
            }
            return new CachedTeacher(
                    codec, index, store,
                    "cached teacher (" + index.size() + " examples, file " + file
                            + (codec.topK == 0 ? "" : ", top " + codec.topK) + ")");
        } catch (IOException e) {
            closeQuietly(store);
            throw new UncheckedIOException("cannot read the teacher cache " + file, e);
        }
    }

    @Override
    public INDArray logits(INDArray features) {
        long[] hashes = FeatureHash.rows(features);
        int c = codec.numClasses;
        float[] out = new float[hashes.length * c];
        ByteBuffer rec = ByteBuffer.allocate(8 + codec.payloadBytes);
        try {
            for (int i = 0; i < hashes.length; i++) {
                long r = index.get(hashes[i]);
                if (r < 0) {
                    throw new IllegalArgumentException(
                            "example " + i + " of this batch (features " + Arrays.toString(features.shape())
                                    + ") is not in the " + description + ": a cached teacher serves only the"
                                    + " feature values it was built on. Build the cache over the same data and"
                                    + " preprocessing, or use TeacherSource.online(teacher) for new data or random"
                                    + " augmentation.");
                }
                rec.clear();
                store.read(r, rec);
                rec.flip();
                rec.position(8);
                codec.decode(rec, out, i * c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + description, e);
        }
        return Nd4j.create(out, new long[] {hashes.length, c}, DataType.FLOAT);
    }

    @Override
    public long numClasses() {
        return codec.numClasses;
    }

    /** Distinct examples cached. */
    public long size() {
        return index.size();
    }

    @Override
    public void close() {
        try {
            store.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private static void closeQuietly(Store s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the original failure is more useful
            }
        }
    }

    /** Records in heap chunks of at most 16 MB. */
    private static final class HeapStore implements Store {
        private final int recordBytes;
        private final int perChunk;
        private final List<byte[]> chunks = new ArrayList<>();
        private long count;

        HeapStore(int recordBytes) {
            this.recordBytes = recordBytes;
            this.perChunk = Math.max(1, (1 << 24) / recordBytes);
        }

        @Override
        public void append(ByteBuffer record) {
            int chunk = (int) (count / perChunk);
            if (chunk == chunks.size()) {
                chunks.add(new byte[perChunk * recordBytes]);
            }
            record.get(chunks.get(chunk), (int) (count % perChunk) * recordBytes, recordBytes);
            count++;
        }

        @Override
        public void read(long record, ByteBuffer dst) {
            dst.put(chunks.get((int) (record / perChunk)), (int) (record % perChunk) * recordBytes, recordBytes);
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public void finish() {}

        @Override
        public void close() {}
    }

    /** Records in a file, written through a 1 MB buffer, read by position. */
    private static final class FileStore implements Store {
        private final FileChannel channel;
        private final LogitCodec codec;
        private final int recordBytes;
        private final ByteBuffer writeBuffer;
        private long count;

        private FileStore(FileChannel channel, LogitCodec codec, long count, boolean writing) {
            this.channel = channel;
            this.codec = codec;
            this.recordBytes = 8 + codec.payloadBytes;
            this.count = count;
            this.writeBuffer = writing ? ByteBuffer.allocate(Math.max(recordBytes, 1 << 20)) : null;
        }

        static FileStore create(Path file, LogitCodec codec) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileStore s = new FileStore(ch, codec, 0, true);
            s.writeHeader();
            return s;
        }

        static FileStore open(Path file) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
            readFully(ch, h, 0);
            h.flip();
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            int version = h.getInt();
            if (!Arrays.equals(magic, MAGIC) || version != VERSION) {
                ch.close();
                throw new IllegalArgumentException(
                        "file " + file + " is not a Topiary teacher cache of version " + VERSION + " (magic "
                                + new String(magic, StandardCharsets.US_ASCII) + ", version " + version + ")");
            }
            int classes = h.getInt();
            int topK = h.getInt();
            h.getInt();
            long count = h.getLong();
            LogitCodec codec = new LogitCodec(classes, topK);
            long expected = HEADER_BYTES + count * (8L + codec.payloadBytes);
            long size = ch.size();
            if (size != expected) {
                ch.close();
                throw new IllegalArgumentException(
                        "teacher cache " + file + " is truncated or damaged: " + size + " bytes, expected "
                                + expected + " for " + count + " records; rebuild it");
            }
            return new FileStore(ch, codec, count, false);
        }

        private void writeHeader() throws IOException {
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
            h.put(MAGIC).putInt(VERSION).putInt(codec.numClasses).putInt(codec.topK).putInt(0).putLong(count);
            h.flip();
            while (h.hasRemaining()) {
                channel.write(h, h.position());
            }
        }

        @Override
        public void append(ByteBuffer record) throws IOException {
            if (writeBuffer.remaining() < recordBytes) {
                flush();
            }
            writeBuffer.put(record);
            count++;
        }

        private void flush() throws IOException {
            writeBuffer.flip();
            long pos = HEADER_BYTES + (count - writeBuffer.remaining() / recordBytes) * recordBytes;
            while (writeBuffer.hasRemaining()) {
                pos += channel.write(writeBuffer, pos);
            }
            writeBuffer.clear();
        }

        @Override
        public void read(long record, ByteBuffer dst) throws IOException {
            if (writeBuffer != null && writeBuffer.position() > 0) {
                flush();
            }
            int limit = dst.position() + recordBytes;
            ByteBuffer view = dst.duplicate();
            view.limit(limit);
            readFully(channel, view, HEADER_BYTES + record * recordBytes);
            dst.position(limit);
        }

        private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
            while (dst.hasRemaining()) {
                int n = ch.read(dst, pos);
                if (n < 0) {
                    throw new IOException("unexpected end of file at byte " + pos);
                }
                pos += n;
            }
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public void finish() throws IOException {
            flush();
            writeHeader();
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

package org.topiary.sparsity.dl4j.persist.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.topiary.sparsity.dl4j.persist.CorruptModelFileException;

/**
 * Reading and writing DL4J model zips ({@code ModelSerializer} layout) with full integrity checks:
 * the central directory must be present (a truncated file fails) and every entry's CRC-32 must
 * match its content (a flipped byte fails).
 */
public final class ModelZip {
    /** DL4J's entries. */
    public static final String CONFIGURATION = "configuration.json";

    public static final String COEFFICIENTS = "coefficients.bin";
    public static final String UPDATER = "updaterState.bin";

    /** Prefix of Topiary's own entries. */
    public static final String TOPIARY_PREFIX = "topiary/";

    private ModelZip() {}

    /** Fails with a clear message when {@code file} is missing or not a regular file. */
    public static void requireRegularFile(Path file, String what) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, what + " not found; check the path");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "is not a regular file; give the path of a " + what);
        }
    }

    /**
     * Reads the whole zip, verifying its structure and the CRC of every entry, and returns the
     * content of the entries {@code keep} accepts (in file order). DL4J's two required entries
     * must be present.
     */
    public static Map<String, byte[]> verifyAndRead(Path file, Predicate<String> keep) throws IOException {
        requireRegularFile(file, "model file");
        Map<String, byte[]> out = new LinkedHashMap<>();
        boolean hasConfig = false;
        boolean hasCoefficients = false;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            byte[] buf = new byte[1 << 16];
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                hasConfig |= e.getName().equals(CONFIGURATION);
                hasCoefficients |= e.getName().equals(COEFFICIENTS);
                boolean kept = keep.test(e.getName());
                java.io.ByteArrayOutputStream content = kept ? new java.io.ByteArrayOutputStream() : null;
                CRC32 crc = new CRC32();
                try (InputStream in = zip.getInputStream(e)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        crc.update(buf, 0, n);
                        if (content != null) {
                            content.write(buf, 0, n);
                        }
                    }
                } catch (IOException ex) {
                    throw corrupt(file, "entry " + e.getName() + " cannot be read (" + ex.getMessage() + ")", ex);
                }
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw corrupt(file, "entry " + e.getName() + " fails its CRC check (the file is damaged)", null);
                }
                if (content != null) {
                    out.put(e.getName(), content.toByteArray());
                }
            }
        } catch (ZipException e) {
            throw corrupt(file, "is not a complete zip file (" + e.getMessage() + "); it is truncated or is not a model file", e);
        }
        if (!hasConfig || !hasCoefficients) {
            throw new CorruptModelFileException(
                    file,
                    "has no " + (hasConfig ? COEFFICIENTS : CONFIGURATION)
                            + " entry: it is not a DL4J model zip (written by ModelSerializer.writeModel or Topiary)");
        }
        return out;
    }

    private static CorruptModelFileException corrupt(Path file, String what, Throwable cause) {
        return new CorruptModelFileException(
                file, what + ". Use an intact copy, e.g. an earlier checkpoint (Checkpoints.latest(dir)).", cause);
    }

    /**
     * Copies the entries of an in-memory zip (except Topiary's own) into {@code out}, then adds
     * {@code extra} entries, and finishes the zip.
     */
    public static void rezip(byte[] zipBytes, Predicate<String> copy, Map<String, byte[]> extra, OutputStream out)
            throws IOException {
        ZipOutputStream zos = new ZipOutputStream(out);
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (e.getName().startsWith(TOPIARY_PREFIX) || !copy.test(e.getName())) {
                    continue;
                }
                zos.putNextEntry(new ZipEntry(e.getName()));
                zin.transferTo(zos);
                zos.closeEntry();
            }
        }
        for (Map.Entry<String, byte[]> e : extra.entrySet()) {
            zos.putNextEntry(new ZipEntry(e.getKey()));
            zos.write(e.getValue());
            zos.closeEntry();
        }
        zos.finish();
    }
}

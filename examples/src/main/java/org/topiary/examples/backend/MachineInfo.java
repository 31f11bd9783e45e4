package org.topiary.examples.backend;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine a command ran on, for reports and {@code docs/benchmarks.md}.
 *
 * @param cpuModel CPU model name (from {@code /proc/cpuinfo} on Linux, else {@code os.arch})
 * @param logicalCpus logical CPUs available to the JVM
 * @param memoryBytes physical memory in bytes ({@code 0} if unknown)
 * @param os operating system name, version and architecture
 * @param javaVersion JVM version
 * @param nd4jVersion ND4J version from its jar ({@code "unknown"} if absent)
 */
public record MachineInfo(
        String cpuModel,
        int logicalCpus,
        long memoryBytes,
        String os,
        String javaVersion,
        String nd4jVersion) {

    /** Validates the components. */
    public MachineInfo {
        Objects.requireNonNull(cpuModel, "cpuModel");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(nd4jVersion, "nd4jVersion");
        if (logicalCpus < 1) {
            throw new IllegalArgumentException("logicalCpus must be >= 1, found " + logicalCpus);
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be >= 0, found " + memoryBytes);
        }
    }

    /** Describes the machine this JVM runs on. */
    public static MachineInfo detect() {
        long memory = 0;
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return new MachineInfo(
                readCpuModel(),
                Runtime.getRuntime().availableProcessors(),
                memory,
                System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                readNd4jVersion());
    }

    /** One line, e.g. {@code "AMD EPYC, 2 logical CPUs, 23.5 GiB RAM, Linux ..., JDK 17.0.15"}. */
    public String describe() {
        return String.format(
                "%s, %d logical CPU%s, %.1f GiB RAM, %s, %s, ND4J %s",
                cpuModel,
                logicalCpus,
                logicalCpus == 1 ? "" : "s",
                memoryBytes / (double) (1L << 30),
                os,
                javaVersion,
                nd4jVersion);
    }

    private static String readCpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (var lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst()
                        .orElse(System.getProperty("os.arch"));
            } catch (IOException | java.io.UncheckedIOException e) {
                // fall through to the architecture name
            }
        }
        return System.getProperty("os.arch");
    }

    private static String readNd4jVersion() {
        try (InputStream in =
                Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

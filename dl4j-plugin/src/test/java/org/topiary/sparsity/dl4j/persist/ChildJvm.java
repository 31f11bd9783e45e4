package org.topiary.sparsity.dl4j.persist;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/** Runs a Java program in a child JVM (for tests that need a fresh process or a different classpath). */
final class ChildJvm {
    private ChildJvm() {}

    record Result(int exitCode, List<String> lines) {}

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's classpath without any entry that holds Topiary classes (org/topiary/...). */
    static String classpathWithoutTopiary() throws IOException {
        List<String> kept = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isEmpty()) {
                continue;
            }
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                if (!Files.exists(p.resolve("org/topiary"))) {
                    kept.add(e);
                }
            } else if (Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    if (jar.stream().noneMatch(j -> j.getName().startsWith("org/topiary/"))) {
                        kept.add(e);
                    }
                }
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /** Runs {@code java args...}, waiting up to {@code seconds}; output is stdout and stderr merged. */
    static Result run(long seconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("child JVM did not finish in " + seconds + " s");
            }
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), out.lines().collect(Collectors.toList()));
    }
}

package org.topiary.examples.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir Path dir;

    @Test
    void write_replacesTheTarget_andLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("report.md");
        Files.writeString(target, "old");

        AtomicFiles.writeString(target, "new");

        assertThat(target).hasContent("new");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void failingWriter_keepsTheOldContent_andRemovesTheTemporaryFile() throws Exception {
        Path target = dir.resolve("result.json");
        Files.writeString(target, "old");

        assertThatThrownBy(
                        () ->
                                AtomicFiles.write(
                                        target,
                                        out -> {
                                            out.write('x');
                                            throw new IOException("disk full");
                                        }))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot write " + target)
                .hasMessageContaining("disk full");
        assertThat(target).hasContent("old");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void prepare_createsTheRunFolder_andTheJsonFolder() {
        Path out = dir.resolve("runs/a");
        Path json = dir.resolve("results/b.json");

        OutputLocations loc = OutputLocations.prepare(out, json);

        assertThat(loc.outDir()).isDirectory().isEmptyDirectory();
        assertThat(loc.jsonFile()).contains(json);
        assertThat(json.getParent()).isDirectory().isEmptyDirectory();
        assertThat(json).doesNotExist();
    }

    @Test
    void prepare_underARegularFile_failsNamingThePath() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> OutputLocations.prepare(file.resolve("out"), null))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("--out")
                .hasMessageContaining(file.resolve("out").toString())
                .hasMessageEndingWith("Choose a writable location with --out DIR or --json FILE.");
        assertThatThrownBy(() -> OutputLocations.prepare(dir.resolve("ok"), file.resolve("r.json")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("--json")
                .hasMessageContaining(file.toString());
    }

    @Test
    void prepare_jsonPathThatIsADirectory_fails() {
        assertThatThrownBy(() -> OutputLocations.prepare(dir.resolve("ok"), dir))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("it is a directory");
    }
}

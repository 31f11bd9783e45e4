package org.topiary.examples.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FashionMnist#load(Path)} looks in: the explicit directory, then $FASHION_MNIST_DIR, then
 * the system directory, then ~/.topiary/datasets/fashion-mnist, then falls back to the embedded
 * subset. Placeholder (empty) files are enough for {@link DataLocator#locate()}, which only looks
 * for the files; loading tests use copies of the real files.
 */
class LookupOrderTest {

    @TempDir Path root;

    private Path envDir;
    private Path systemDir;
    private Path home;
    private Path homeDataDir;

    @BeforeEach
    void createDirectoryNames() {
        envDir = root.resolve("env");
        systemDir = root.resolve("system");
        home = root.resolve("home");
        homeDataDir = home.resolve(".topiary/datasets/fashion-mnist");
    }

    private DataLocator locator(Map<String, String> env) {
        return new DataLocator(env, systemDir, home);
    }

    private Map<String, String> envPointingTo(Path dir) {
        return Map.of(FashionMnist.ENV_VAR, dir.toString());
    }

    @Test
    void envDir_winsOverSystemAndHome() throws IOException {
        IdxFixtures.fillWithEmptyFiles(envDir);
        IdxFixtures.fillWithEmptyFiles(systemDir);
        IdxFixtures.fillWithEmptyFiles(homeDataDir);

        assertThat(locator(envPointingTo(envDir)).locate()).contains(envDir);
    }

    @Test
    void systemDir_winsOverHome() throws IOException {
        IdxFixtures.fillWithEmptyFiles(systemDir);
        IdxFixtures.fillWithEmptyFiles(homeDataDir);

        assertThat(locator(Map.of()).locate()).contains(systemDir);
    }

    @Test
    void homeDir_isUsedWhenTheOthersLackFiles() throws IOException {
        IdxFixtures.fillWithEmptyFiles(envDir);
        Files.delete(envDir.resolve(FashionMnist.TRAIN_IMAGES));
        IdxFixtures.fillWithEmptyFiles(systemDir);
        Files.delete(systemDir.resolve(FashionMnist.TEST_LABELS));
        IdxFixtures.fillWithEmptyFiles(homeDataDir);

        assertThat(locator(envPointingTo(envDir)).locate()).contains(homeDataDir);
    }

    @Test
    void envPointingNowhereOrBlank_isSkipped() throws IOException {
        IdxFixtures.fillWithEmptyFiles(systemDir);

        assertThat(locator(envPointingTo(root.resolve("absent"))).locate()).contains(systemDir);
        assertThat(locator(Map.of(FashionMnist.ENV_VAR, " ")).locate()).contains(systemDir);
    }

    @Test
    void noCompleteDirectory_locatesNothing() throws IOException {
        Files.createDirectories(systemDir);

        assertThat(locator(Map.of()).locate()).isEmpty();
    }

    @Test
    void noCompleteDirectory_loadsTheEmbeddedSubset() {
        FashionMnist data = FashionMnist.load(null, locator(Map.of()));

        assertThat(data.isEmbeddedSubset()).isTrue();
        assertThat(data.source()).startsWith("embedded subset (10000 train / 2000 test;");
    }

    @Test
    void envDirWithTheFullSet_isLoadedAndNamedInTheSource() throws IOException {
        IdxFixtures.copyFullSet(envDir);
        IdxFixtures.fillWithEmptyFiles(systemDir);

        FashionMnist data = FashionMnist.load(null, locator(envPointingTo(envDir)));

        assertThat(data.isEmbeddedSubset()).isFalse();
        assertThat(data.trainSize()).isEqualTo(60_000);
        assertThat(data.source()).isEqualTo(envDir + " (full: 60000 train / 10000 test)");
    }

    @Test
    void damagedFilesInTheChosenDirectory_failInsteadOfFallingBack() throws IOException {
        IdxFixtures.fillWithEmptyFiles(envDir);

        assertThatThrownBy(() -> FashionMnist.load(null, locator(envPointingTo(envDir))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(envDir.resolve(FashionMnist.TRAIN_IMAGES).toString())
                .hasMessageContaining("the file is empty");
    }

    @Test
    void explicitDir_winsOverEnvAndNeverFallsBack() throws IOException {
        IdxFixtures.fillWithEmptyFiles(envDir);
        IdxFixtures.fillWithEmptyFiles(systemDir);
        Path explicit = root.resolve("explicit");
        Files.createDirectories(explicit);
        Files.createFile(explicit.resolve(FashionMnist.TRAIN_IMAGES));

        assertThatThrownBy(() -> FashionMnist.load(explicit, locator(envPointingTo(envDir))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("file not found")
                .hasMessageContaining(explicit.toString())
                .hasMessageContaining(FashionMnist.TRAIN_LABELS);
    }

    @Test
    void explicitDirWithTheFullSet_isLoaded() throws IOException {
        Path explicit = root.resolve("explicit");
        IdxFixtures.copyFullSet(explicit);

        FashionMnist data = FashionMnist.load(explicit, locator(Map.of()));

        assertThat(data.isEmbeddedSubset()).isFalse();
        assertThat(data.source()).isEqualTo(explicit + " (full: 60000 train / 10000 test)");
    }
}

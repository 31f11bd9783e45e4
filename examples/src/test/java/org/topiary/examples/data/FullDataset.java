package org.topiary.examples.data;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;

/**
 * The full Fashion-MNIST set for tests, loaded once per JVM from {@value FashionMnist#SYSTEM_DIR}.
 * Tests that need it fail (they do not skip) when it is absent, so a machine without the
 * dataset cannot pass by accident.
 */
final class FullDataset {

    static final String MISSING =
            "This test needs the full Fashion-MNIST set in " + FashionMnist.SYSTEM_DIR
                    + ": run 'apt-get install dataset-fashion-mnist'";

    private static FashionMnist loaded;

    private FullDataset() {}

    /** @return the directory of the full set; fails the test if it is incomplete */
    static Path dir() {
        return requireComplete(Path.of(FashionMnist.SYSTEM_DIR));
    }

    /** @return {@code dir}; fails the test with {@link #MISSING} if it lacks a file */
    static Path requireComplete(Path dir) {
        List<String> missing = DataLocator.missingFiles(dir);
        if (!missing.isEmpty()) {
            fail(MISSING + " (missing in " + dir + ": " + String.join(", ", missing) + ")");
        }
        return dir;
    }

    /** @return the full set, loaded on first use */
    static synchronized FashionMnist get() {
        if (loaded == null) {
            loaded = FashionMnist.loadFrom(dir());
        }
        return loaded;
    }
}

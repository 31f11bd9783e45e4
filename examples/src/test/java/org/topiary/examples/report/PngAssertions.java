package org.topiary.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Checks that a file is a PNG that decodes to a non-empty image. */
public final class PngAssertions {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngAssertions() {}

    /**
     * Asserts {@code file} starts with the PNG signature and {@code ImageIO} decodes it.
     *
     * @param file the file to check
     * @throws IOException if the file cannot be read
     */
    public static void assertValidPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(bytes, SIGNATURE.length)).as("PNG signature of %s", file).isEqualTo(SIGNATURE);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as("decoded %s", file).isNotNull();
        assertThat(image.getWidth()).isPositive();
        assertThat(image.getHeight()).isPositive();
    }
}

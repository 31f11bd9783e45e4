package org.topiary.sparsity.dl4j.persist;

import java.nio.file.Path;

/** Writes the golden files into src/test/resources (run by hand: argument = the resources folder). */
public final class GenerateGolden {
    private GenerateGolden() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SparseModelFormatTest.generateGolden(dir);
        SparseModelFormatTest.generateGoldenV2(dir);
        PruningStateFormatTest.generateGolden(dir);
    }
}

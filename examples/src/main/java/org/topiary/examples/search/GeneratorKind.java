package org.topiary.examples.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;

/**
 * Arbiter's candidate generators.
 *
 * <ul>
 *   <li>{@link #RANDOM}: {@code RandomSearchGenerator}, every dimension drawn independently
 *       (seeded: the same seed gives the same candidates).
 *   <li>{@link #GRID}: {@code GridSearchCandidateGenerator} in {@code Sequential} order, each
 *       continuous range cut into {@code gridPoints} values (min, max and evenly between; log
 *       spaced for λ), discrete choices taken as they are. The first dimension (final sparsity)
 *       changes fastest; a budget smaller than the grid runs its first candidates only, so fix
 *       the dimensions you do not want to sweep.
 *   <li>{@link #GENETIC}: {@code GeneticSearchCandidateGenerator} with Arbiter's defaults
 *       (random until the population holds a few scored candidates, then crossover and mutation
 *       of the fittest). Its selection is seeded, its crossover and mutation operators use
 *       Arbiter's unseeded defaults, so runs are not exactly repeatable.
 * </ul>
 */
public enum GeneratorKind {
    /** Random search. */
    RANDOM,
    /** Grid search. */
    GRID,
    /** Genetic search. */
    GENETIC;

    /** Lower-case name for the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; the error lists the valid names. */
    public static GeneratorKind parse(String text) {
        for (GeneratorKind k : values()) {
            if (k.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "generator must be one of "
                        + Arrays.stream(values()).map(GeneratorKind::id).collect(Collectors.joining(", "))
                        + ", found '" + text + "'");
    }

    private static JDKRandomGenerator seeded(long seed) {
        JDKRandomGenerator rng = new JDKRandomGenerator();
        rng.setSeed(seed);
        return rng;
    }

    /**
     * A new generator over a fresh parameter space of {@code space}.
     *
     * @param space the search space
     * @param score the score function (the genetic generator needs its direction)
     * @param seed random seed
     * @param gridPoints values per continuous range for {@link #GRID}, {@code >= 2}
     * @return the generator
     */
    CandidateGenerator create(SearchSpace space, SearchConstraint score, long seed, int gridPoints) {
        CandidateSpace ps = space.parameterSpace();
        return switch (this) {
            case RANDOM -> {
                RandomSearchGenerator g = new RandomSearchGenerator(ps, null);
                g.setRngSeed(seed);
                yield g;
            }
            case GRID -> new GridSearchCandidateGenerator(
                    ps, gridPoints, GridSearchCandidateGenerator.Mode.Sequential, null);
            case GENETIC -> new GeneticSearchCandidateGenerator.Builder(ps, score)
                    .selectionOperator(new GeneticSelectionOperator.Builder()
                            .randomGenerator(seeded(seed))
                            .build())
                    .build();
        };
    }
}

package org.topiary.examples.bench;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/** The {@code main} argument lists of the benchmarks: {@code --name value} pairs and value-less flags. */
final class BenchArgs {
    private BenchArgs() {}

    /**
     * {@code args} as (name, value) pairs, in order; a name in {@code flags} takes no value and is
     * paired with {@code "true"}. Names are not checked here: each benchmark's parser rejects the
     * ones it does not know. The pairs are produced as the caller iterates, so the first problem in
     * argument order is the one reported (an unknown option or a bad value before a missing value
     * at the end), as when each parser walked {@code args} itself.
     *
     * @throws IllegalArgumentException while iterating, naming the option, when the last one needs
     *     a value and has none
     */
    static Iterable<Map.Entry<String, String>> pairs(String[] args, Set<String> flags) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < args.length;
            }

            @Override
            public Map.Entry<String, String> next() {
                if (i >= args.length) {
                    throw new NoSuchElementException();
                }
                String name = args[i++];
                if (flags.contains(name)) {
                    return Map.entry(name, "true");
                }
                if (i >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                return Map.entry(name, args[i++]);
            }
        };
    }
}

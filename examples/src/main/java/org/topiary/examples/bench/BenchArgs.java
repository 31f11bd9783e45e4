package org.topiary.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code main} argument lists of the benchmarks: {@code --name value} pairs and value-less flags. */
final class BenchArgs {
    private BenchArgs() {}

    /**
     * {@code args} as (name, value) pairs, in order; a name in {@code flags} takes no value and is
     * paired with {@code "true"}. Names are not checked here: each benchmark's parser rejects the
     * ones it does not know.
     *
     * @throws IllegalArgumentException naming the option, when the last one needs a value and has none
     */
    static List<Map.Entry<String, String>> pairs(String[] args, Set<String> flags) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (flags.contains(name)) {
                out.add(Map.entry(name, "true"));
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            out.add(Map.entry(name, args[++i]));
        }
        return out;
    }
}

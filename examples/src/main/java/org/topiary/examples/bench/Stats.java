package org.topiary.examples.bench;

import java.util.Arrays;

/** Mean, sample standard deviation and median of small samples. */
final class Stats {
    private Stats() {}

    static double mean(double[] x) {
        return x.length == 0 ? Double.NaN : Arrays.stream(x).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n − 1); 0 for a single value. */
    static double std(double[] x) {
        if (x.length < 2) {
            return 0.0;
        }
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (x.length - 1));
    }

    static double median(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}

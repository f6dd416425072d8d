package dev.rumor.bench;

import java.util.List;
import java.util.Map;

/** Small formatting helpers shared by the benchmark reports. */
final class BenchText {
    private BenchText() {
    }

    /** "cores N, load average L1–L2 (Java V)" over the rows, for the table's caption. */
    static String machine(List<Map<String, Object>> rows) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Map<String, Object> r : rows) {
            for (String k : List.of("load_avg_start", "load_avg_end")) {
                if (r.get(k) instanceof Number x) {
                    lo = Math.min(lo, x.doubleValue());
                    hi = Math.max(hi, x.doubleValue());
                }
            }
        }
        return String.format("Machine: %d cores, 1-minute load average %.1f–%.1f during the run, Java %s.%n%n",
                Runtime.getRuntime().availableProcessors(), lo == Double.MAX_VALUE ? 0 : lo, hi,
                System.getProperty("java.version"));
    }

    /** Nanoseconds as seconds with millisecond precision. */
    static double secs(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}

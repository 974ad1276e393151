package io.github.spectralcircuits.pipeline;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What this JVM has used: the heap's peak (the collector's pools, as the management beans count them),
 * its maximum, and the process's peak resident set (Linux's VmHWM; absent elsewhere), for the line an
 * analysis ends with.
 */
public final class MemoryUse {
    private MemoryUse() {
    }

    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The process's peak resident set size, from /proc/self/status. */
    public static OptionalLong peakResidentBytes() {
        return statusKilobytes(Path.of("/proc/self/status"), "VmHWM:");
    }

    /** Memory the kernel considers available to new work (MemAvailable of /proc/meminfo). */
    public static OptionalLong availableBytes() {
        return statusKilobytes(Path.of("/proc/meminfo"), "MemAvailable:");
    }

    static OptionalLong statusKilobytes(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: the number is simply not known
        }
        return OptionalLong.empty();
    }

    /**
     * "Memory: heap at most 1.2 GB used of 2.0 GB, peak resident set 2.9 GB". The heap figure adds the
     * collector's pools' peaks, which need not have been reached at the same moment: an upper bound, and
     * so is the maximum heap, whichever is lower (a 7B run's pools' peaks add up to more than its heap).
     */
    public static String summary() {
        OptionalLong rss = peakResidentBytes();
        long max = Runtime.getRuntime().maxMemory();
        return "Memory: heap at most " + MemoryPlan.size(Math.min(peakHeapBytes(), max)) + " used of " + MemoryPlan.size(max)
                + (rss.isPresent() ? ", peak resident set " + MemoryPlan.size(rss.getAsLong()) : "");
    }
}

package org.volseg.nn.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory as Linux reports it in /proc/self/status: resident memory (VmRSS) and its high-water mark
 * (VmHWM), which count PyTorch's native tensors where the JVM's own figures do not.
 */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** VmRSS in bytes, or 0 where there is none (not Linux). */
    public static long residentBytes() {
        return field("VmRSS");
    }

    /** VmHWM in bytes, or 0 where there is none (not Linux). */
    public static long peakBytes() {
        return field("VmHWM");
    }

    /**
     * Resets VmHWM to the current resident size (Linux: {@code clear_refs} 5), so that {@link #peakBytes()} tells
     * the peak of what runs from now on. Returns false where the kernel does not allow it (the peak then stays the
     * process's).
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A /proc/self/status field given in kB, in bytes; 0 when unreadable or absent. */
    static long field(String name) {
        Path status = Path.of("/proc/self/status");
        try {
            if (!Files.isReadable(status)) {
                return 0;
            }
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(name + ":")) {
                    String digits = line.replaceAll("\\D", "");
                    return digits.isEmpty() ? 0 : Long.parseLong(digits) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}

package org.volseg.nn.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * Native memory in use, for leak tests: the bytes glibc's malloc has handed out and not yet had back
 * ({@code mallinfo2()}: in-use arena chunks plus mmapped blocks), which is where PyTorch's CPU tensors live. Unlike
 * the resident set, this counts live allocations only: it does not move with the JVM's heap committing and
 * uncommitting, nor with pages glibc keeps after a free, which made a resident-set test swing by ±30 %. JNA is
 * DJL's own dependency (embedded in this bundle), so the tests need nothing more.
 */
public final class NativeMemory {

    /** glibc's {@code struct mallinfo2}: ten {@code size_t} counters. */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    private interface Glibc extends Library {
        MallInfo2 mallinfo2();
    }

    private static final Glibc C = Native.load("c", Glibc.class);

    private NativeMemory() {
    }

    /**
     * Bytes allocated through malloc and not freed (all arenas, and blocks mapped on their own), less what the JVM
     * itself has malloc'd (its JIT and GC, which grow while code is still being compiled) when Native Memory
     * Tracking is on (the nn tests run with it): what is left is PyTorch's and DJL's.
     */
    public static long bytes() {
        MallInfo2 info = C.mallinfo2();
        return info.uordblks + info.hblkhd - jvmMallocBytes();
    }

    private static final java.util.regex.Pattern TOTAL_MALLOC = java.util.regex.Pattern.compile(
            "(?m)^\\s+malloc: (\\d+)KB");

    /** The JVM's own malloc'd bytes from Native Memory Tracking's summary, or 0 when tracking is off. */
    static long jvmMallocBytes() {
        try {
            Object summary = java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            java.util.regex.Matcher m = TOTAL_MALLOC.matcher(String.valueOf(summary));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
        } catch (javax.management.JMException e) {
            return 0;
        }
    }
}

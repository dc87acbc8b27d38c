package org.volseg.nn.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Native memory of this process for leak tests: resident memory (Linux) less what the JVM itself has committed
 * (heap, metaspace, code cache), which grows while the JIT warms up and would blur a native leak.
 */
public final class NativeMemory {

    private NativeMemory() {
    }

    public static long bytes() {
        System.gc();
        MemoryMXBean jvm = ManagementFactory.getMemoryMXBean();
        long committed = jvm.getHeapMemoryUsage().getCommitted() + jvm.getNonHeapMemoryUsage().getCommitted();
        long resident = org.volseg.nn.engine.ProcessMemory.residentBytes();
        if (resident == 0) {
            throw new IllegalStateException("no VmRSS in /proc/self/status: these tests need Linux");
        }
        return resident - committed;
    }
}

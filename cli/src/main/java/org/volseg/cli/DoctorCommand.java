package org.volseg.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.volseg.core.data.ReferenceData;
import org.volseg.nn.engine.EngineDoctor;
import org.volseg.nn.engine.EngineReport;
import org.volseg.nn.engine.EngineUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Says what this machine gives VolSeg: Java, the DJL engine, threads, GPUs (or why none), data packages. */
@Command(name = "doctor", description = "Check Java, the deep-learning engine, GPUs and the reference data packages.")
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        line(out, "java", Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        line(out, "processors", String.valueOf(Runtime.getRuntime().availableProcessors()));
        boolean healthy = engine(out);
        for (ReferenceData data : ReferenceData.values()) {
            line(out, "data " + data.debianPackage(), data.find().map(path -> "found (" + path + ")")
                    .orElse("missing (apt-get install " + data.debianPackage() + "; only the tests need it)"));
        }
        out.println(healthy ? "VolSeg is ready." : "VolSeg cannot train or predict here: see the lines above.");
        return healthy ? 0 : 1;
    }

    private static boolean engine(PrintWriter out) {
        try {
            EngineReport report = EngineDoctor.diagnose();
            line(out, "djl", report.djlVersion());
            line(out, "engine", report.engineName() + " " + report.engineVersion());
            line(out, "cpu threads", report.cpuThreads() + " (PyTorch intra-op)");
            line(out, "gpu", report.gpuNote());
            line(out, "offline", report.offline() ? "yes" : "no (DJL may download engines and models)");
            EngineReport.Conv3dCheck conv = report.conv3d();
            line(out, "conv3d", String.format("%s: output %s, sum %.1f (expected %.1f), %.1f ms",
                    conv.ok() ? "ok" : "WRONG", conv.outputShape(), conv.sum(), conv.expectedSum(), conv.millis()));
            return conv.ok();
        } catch (EngineUnavailableException e) {
            line(out, "engine", "unavailable: " + e.getMessage());
            return false;
        }
    }

    private static void line(PrintWriter out, String key, String value) {
        out.printf("%-30s %s%n", key + ":", value);
    }
}

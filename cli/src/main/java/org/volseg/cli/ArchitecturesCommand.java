package org.volseg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.volseg.nn.ossnet.ArchitectureCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists every architecture preset with its parameter count. */
@Command(name = "architectures", description = "List every architecture preset (InvRes, OSS-Net) with its "
        + "parameter count, counted from the network as built.")
final class ArchitecturesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON array instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<ArchitectureCatalog.Entry> entries = ArchitectureCatalog.all();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(entries));
            return 0;
        }
        String format = "%-24s %-8s %,14d  %s%n";
        out.printf("%-24s %-8s %14s  %s%n", "architecture", "family", "parameters", "preset");
        for (ArchitectureCatalog.Entry e : entries) {
            out.printf(java.util.Locale.ROOT, format, e.name(), e.family(), e.parameters(), e.description());
        }
        return 0;
    }
}

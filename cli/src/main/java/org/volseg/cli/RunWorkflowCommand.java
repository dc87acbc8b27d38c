package org.volseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.volseg.ops.workflow.WorkflowRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code volseg run-workflow DIR}: a KNIME workflow of VolSeg nodes, run headless without KNIME. */
@Command(name = "run-workflow", description = "Run a KNIME workflow made of VolSeg nodes without KNIME: nodes in "
        + "topological order with their saved settings, every output table written to a results folder, and a "
        + "report of each node's status and time.")
final class RunWorkflowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the workflow folder (holding workflow.knime)")
    Path workflow;

    @Option(names = "--results", paramLabel = "DIR", description = "where output tables go. Default: DIR/results")
    Path results;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path to = results != null ? results : workflow.resolve("results");
        List<WorkflowRunner.NodeReport> reports = new WorkflowRunner(workflow).run(to,
                new TerminalProgress(spec.commandLine().getErr()));
        out.printf("%-40s %8s  %s%n", "node", "seconds", "status");
        for (WorkflowRunner.NodeReport r : reports) {
            out.printf("%-40s %8.2f  %s%n", r.node(), r.seconds(), r.status());
        }
        boolean ok = reports.stream().allMatch(WorkflowRunner.NodeReport::executed);
        out.println((ok ? "all nodes executed" : "some nodes failed") + "; outputs in " + to);
        return ok ? 0 : 1;
    }
}

package org.volseg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.volseg.ops.Operations;
import org.volseg.ops.api.InvalidSettingsException;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.PortKind;
import org.volseg.ops.api.SettingSpec;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.TableFiles;
import org.volseg.ops.api.TableSpec;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One sub-command per operation, its options made from the operation's settings schema: the same keys (as
 * {@code --image-pattern}), descriptions and defaults as the KNIME node. Input tables are CSV files given with
 * {@code --in}; output tables are written as CSV files to {@code --out}.
 */
final class OperationCommands {

    private OperationCommands() {
    }

    static void addTo(CommandLine root) {
        for (Operation<?> operation : Operations.all()) {
            root.addSubcommand(operation.id(), command(operation));
        }
    }

    /** Runs an operation with the options its command line parsed. */
    private static final class Run implements java.util.concurrent.Callable<Integer> {
        private final Operation<?> operation;
        private CommandLine cli;

        Run(Operation<?> operation) {
            this.operation = operation;
        }

        @Override
        public Integer call() {
            return run(operation, cli.getParseResult(), cli);
        }
    }

    private static CommandLine command(Operation<?> operation) {
        Run run = new Run(operation);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(run).name(operation.id())
                .mixinStandardHelpOptions(true);
        spec.usageMessage().description(operation.name() + ": " + operation.summary(), "", operation.description());
        for (SettingSpec s : operation.schema().settings()) {
            spec.addOption(OptionSpec.builder(s.option()).paramLabel(s.type() == boolean.class ? "true|false"
                    : s.key().toUpperCase(java.util.Locale.ROOT)).type(String.class)
                    .description(s.help()).build());
        }
        List<Port> inputs = operation.inputs();
        if (!inputs.isEmpty()) {
            spec.addOption(OptionSpec.builder("--in").paramLabel("TABLE.csv|MODEL.volseg").type(Path[].class)
                    .arity("1").required(true).description("inputs in this order (tables as CSV, models as "
                            + ".volseg): " + inputs.stream().map(Port::name).toList()).build());
        }
        spec.addOption(OptionSpec.builder("--out").paramLabel("DIR").type(Path.class).defaultValue(".")
                .description("folder for the output tables (CSV). Default: the current folder.").build());
        run.cli = new CommandLine(spec);
        return run.cli;
    }

    private static int run(Operation<?> operation, CommandLine.ParseResult parsed,
            CommandLine cli) {
        PrintWriter err = cli.getErr();
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (SettingSpec s : operation.schema().settings()) {
                if (parsed.hasMatchedOption(s.option())) {
                    values.put(s.key(), parsed.matchedOptionValue(s.option(), ""));
                }
            }
            List<PortData> inputs = new ArrayList<>();
            Path[] files = parsed.matchedOptionValue("--in", new Path[0]);
            if (files.length != operation.inputs().size()) {
                throw new InvalidSettingsException(operation.id() + " takes " + operation.inputs().size()
                        + " input table(s) with --in, got " + files.length);
            }
            for (int i = 0; i < files.length; i++) {
                PortKind kind = operation.inputs().get(i).kind();
                inputs.add(kind == PortKind.MODEL ? ModelPort.read(files[i]) : TableFiles.read(files[i],
                        TableSpec.of(kind)));
            }
            List<PortData> outputs = operation.run(values, inputs, new TerminalProgress(err));
            Path out = parsed.matchedOptionValue("--out", Path.of("."));
            Files.createDirectories(out);
            for (int i = 0; i < outputs.size(); i++) {
                String name = operation.id() + "-" + operation.outputs().get(i).name().toLowerCase(
                        java.util.Locale.ROOT).replace(' ', '-');
                if (outputs.get(i) instanceof Table table) {
                    Path file = out.resolve(name + ".csv");
                    TableFiles.write(table, file);
                    cli.getOut().println("wrote " + file + " (" + table.rows().size() + " rows)");
                } else if (outputs.get(i) instanceof ModelPort model) {
                    Path file = out.resolve(name + ModelPort.EXTENSION);
                    model.copyTo(file);
                    cli.getOut().println("wrote " + file + " (" + model.spec().summary() + ")");
                }
            }
            return 0;
        } catch (InvalidSettingsException | java.io.IOException | IllegalArgumentException e) {
            err.println("volseg " + operation.id() + ": " + e.getMessage());
            return VolSeg.BAD_INPUT;
        } catch (org.volseg.ops.api.Progress.CanceledException e) {
            err.println("volseg " + operation.id() + ": cancelled");
            return 130;
        } catch (Exception e) {
            err.println("volseg " + operation.id() + ": internal error: " + e);
            return 1;
        }
    }
}

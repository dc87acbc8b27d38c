package org.volseg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code volseg} command: one sub-command per VolSeg node, with the node's setting names. */
@Command(name = "volseg", mixinStandardHelpOptions = true, versionProvider = VolSeg.Version.class,
        description = "Memory-efficient 3D medical image segmentation, the same operations as the KNIME nodes.",
        subcommands = {DemoCommand.class, DoctorCommand.class, ArchitecturesCommand.class, InspectCommand.class,
            ConvertCommand.class, RunWorkflowCommand.class})
public final class VolSeg {

    /** Exit code for bad input (a file that cannot be read, a setting out of range), as for bad arguments. */
    static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with bad input reported as one sentence and exit code 2, never a stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new VolSeg());
        OperationCommands.addTo(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IOException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("volseg " + commandLine.getCommandName() + ": " + e.getMessage());
                return BAD_INPUT;
            }
            throw e;
        });
        return cli;
    }

    /** The versions baked in at build time. */
    static final class Version implements CommandLine.IVersionProvider {

        static Properties read() {
            Properties properties = new Properties();
            try (InputStream in = VolSeg.class.getResourceAsStream("version.properties")) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties;
        }

        @Override
        public String[] getVersion() {
            Properties p = read();
            return new String[] {"volseg " + p.getProperty("version") + " (DJL " + p.getProperty("djl")
                    + ", PyTorch " + p.getProperty("pytorch") + ")"};
        }
    }
}

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
        subcommands = {DoctorCommand.class})
public final class VolSeg {

    public static void main(String[] args) {
        System.exit(new CommandLine(new VolSeg()).execute(args));
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

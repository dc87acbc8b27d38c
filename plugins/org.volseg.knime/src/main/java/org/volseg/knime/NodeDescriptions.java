package org.volseg.knime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.volseg.ops.Operations;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.Port;
import org.volseg.ops.api.SettingSpec;

/**
 * Writes each node's description ({@code <Factory>.xml}, KNIME's node description schema v4.1, readable by KNIME
 * 5.1 and later) from its operation, at build time: the names, descriptions and options users read in KNIME are
 * the ones the command line's --help shows.
 */
public final class NodeDescriptions {

    private NodeDescriptions() {
    }

    /** Writes every description below a class-output folder (argument 0). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]).resolve(Operations.FACTORY_PACKAGE.replace('.', '/'));
        Files.createDirectories(out);
        for (Operation<?> operation : Operations.all()) {
            Files.writeString(out.resolve(factorySimpleName(operation) + ".xml"), xml(operation),
                    StandardCharsets.UTF_8);
        }
    }

    /** "Volume Reader" → "VolumeReaderNodeFactory". */
    public static String factorySimpleName(Operation<?> operation) {
        String name = Operations.factoryClassName(operation);
        return name.substring(name.lastIndexOf('.') + 1);
    }

    static String xml(Operation<?> operation) {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<!-- generated from the operation '").append(operation.id()).append("' by NodeDescriptions -->\n");
        x.append("<knimeNode icon=\"./volseg.png\" type=\"").append(operation.nodeType())
                .append("\" xmlns=\"http://knime.org/node/v4.1\" "
                        + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                        + "xsi:schemaLocation=\"http://knime.org/node/v4.1 http://knime.org/node/v4.1.xsd\">\n");
        x.append("  <name>").append(escape(operation.name())).append("</name>\n");
        x.append("  <shortDescription>").append(escape(operation.summary())).append("</shortDescription>\n");
        x.append("  <fullDescription>\n");
        x.append("    <intro>").append(escape(operation.description())).append("</intro>\n");
        String tab = null;
        for (SettingSpec s : operation.schema().settings()) {
            if (!s.tab().equals(tab)) {
                if (tab != null) {
                    x.append("    </tab>\n");
                }
                tab = s.tab();
                x.append("    <tab name=\"").append(escape(tab)).append("\">\n");
            }
            x.append("      <option name=\"").append(escape(s.label())).append("\">")
                    .append(escape(s.help() + " Settings key and command-line option: " + s.key() + ", "
                            + s.option() + "."))
                    .append("</option>\n");
        }
        if (tab != null) {
            x.append("    </tab>\n");
        }
        x.append("  </fullDescription>\n");
        x.append("  <ports>\n");
        ports(x, "inPort", operation.inputs());
        ports(x, "outPort", operation.outputs());
        x.append("  </ports>\n");
        x.append("</knimeNode>\n");
        return x.toString();
    }

    private static void ports(StringBuilder x, String element, List<Port> ports) {
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            x.append("    <").append(element).append(" index=\"").append(i).append("\" name=\"")
                    .append(escape(p.name())).append("\">").append(escape(p.description())).append("</")
                    .append(element).append(">\n");
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

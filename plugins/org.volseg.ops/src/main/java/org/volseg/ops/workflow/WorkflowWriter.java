package org.volseg.ops.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.volseg.ops.Operations;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.SettingSpec;

/**
 * Writes a KNIME workflow of VolSeg nodes (workflow.knime and one settings.xml per node, KNIME's XMLConfig
 * format, workflow version 5.1): how the templates in test-workflows/ are made, so they open in KNIME AP 5.1+ with
 * VolSeg installed and run headless with {@code volseg run-workflow}.
 */
public final class WorkflowWriter {

    /** The bundle and feature a saved node names, so that KNIME can offer to install what is missing. */
    private static final String BUNDLE = "org.volseg.knime";
    private static final String FEATURE = "org.volseg.feature.feature.group";
    private static final String VERSION = "0.1.0";

    /**
     * A node to write.
     *
     * @param operation the operation's id
     * @param settings  settings that differ from the defaults, by key
     */
    public record NodeSpec(String operation, Map<String, String> settings) {
    }

    /** A connection from node {@code source}'s output {@code sourcePort} to {@code dest}'s input (0-based). */
    public record Link(int source, int sourcePort, int dest, int destPort) {
    }

    private WorkflowWriter() {
    }

    /** Writes the workflow; node ids are 1, 2, ... in list order. */
    public static void write(Path folder, List<NodeSpec> nodes, List<Link> links) throws IOException {
        Files.createDirectories(folder);
        StringBuilder w = header("workflow.knime");
        w.append("  <entry key=\"created_by\" type=\"xstring\" value=\"VolSeg ").append(VERSION).append("\"/>\n");
        w.append("  <entry key=\"version\" type=\"xstring\" value=\"5.1.0\"/>\n");
        w.append("  <config key=\"nodes\">\n");
        for (int i = 0; i < nodes.size(); i++) {
            Operation<?> op = operation(nodes.get(i).operation());
            int id = i + 1;
            String dir = op.name() + " (#" + id + ")";
            w.append("    <config key=\"node_").append(id).append("\">\n");
            w.append("      <entry key=\"id\" type=\"xint\" value=\"").append(id).append("\"/>\n");
            w.append("      <entry key=\"node_settings_file\" type=\"xstring\" value=\"").append(dir)
                    .append("/settings.xml\"/>\n");
            w.append("      <entry key=\"node_is_meta\" type=\"xboolean\" value=\"false\"/>\n");
            w.append("      <entry key=\"node_type\" type=\"xstring\" value=\"NativeNode\"/>\n");
            w.append("      <config key=\"ui_settings\">\n        <config key=\"extrainfo.node.bounds\">\n");
            w.append("          <entry key=\"array-size\" type=\"xint\" value=\"4\"/>\n");
            int[] bounds = {100 + 180 * i, 100, 120, 80};
            for (int b = 0; b < 4; b++) {
                w.append("          <entry key=\"").append(b).append("\" type=\"xint\" value=\"").append(bounds[b])
                        .append("\"/>\n");
            }
            w.append("        </config>\n      </config>\n    </config>\n");
            writeSettings(folder.resolve(dir), op, nodes.get(i).settings());
        }
        w.append("  </config>\n  <config key=\"connections\">\n");
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            w.append("    <config key=\"connection_").append(i).append("\">\n");
            entry(w, "      ", "sourceID", "xint", Integer.toString(l.source()));
            entry(w, "      ", "destID", "xint", Integer.toString(l.dest()));
            entry(w, "      ", "sourcePort", "xint", Integer.toString(l.sourcePort() + 1));
            entry(w, "      ", "destPort", "xint", Integer.toString(l.destPort() + 1));
            w.append("    </config>\n");
        }
        w.append("  </config>\n</config>\n");
        Files.writeString(folder.resolve("workflow.knime"), w, StandardCharsets.UTF_8);
    }

    private static void writeSettings(Path dir, Operation<?> op, Map<String, String> values) throws IOException {
        Files.createDirectories(dir);
        StringBuilder s = header("settings.xml");
        entry(s, "  ", "node_file", "xstring", "settings.xml");
        entry(s, "  ", "factory", "xstring", Operations.factoryClassName(op));
        entry(s, "  ", "node-name", "xstring", op.name());
        entry(s, "  ", "node-bundle-name", "xstring", "VolSeg KNIME nodes");
        entry(s, "  ", "node-bundle-symbolic-name", "xstring", BUNDLE);
        entry(s, "  ", "node-bundle-vendor", "xstring", "VolSeg");
        entry(s, "  ", "node-bundle-version", "xstring", VERSION);
        entry(s, "  ", "node-feature-name", "xstring", "VolSeg: memory-efficient 3D medical image segmentation");
        entry(s, "  ", "node-feature-symbolic-name", "xstring", FEATURE);
        entry(s, "  ", "node-feature-vendor", "xstring", "VolSeg");
        entry(s, "  ", "node-feature-version", "xstring", VERSION);
        entry(s, "  ", "name", "xstring", op.name());
        entry(s, "  ", "state", "xstring", "CONFIGURED");
        entry(s, "  ", "hasContent", "xboolean", "false");
        entry(s, "  ", "isInactive", "xboolean", "false");
        s.append("  <config key=\"factory_settings\"/>\n  <config key=\"flow_stack\"/>\n");
        s.append("  <config key=\"internal_node_subsettings\">\n");
        entry(s, "    ", "memory_policy", "xstring", "CacheSmallInMemory");
        s.append("  </config>\n  <config key=\"model\">\n");
        for (SettingSpec spec : op.schema().settings()) {
            entry(s, "    ", spec.key(), spec.knimeType(), values.getOrDefault(spec.key(), spec.defaultValue()));
        }
        s.append("  </config>\n  <config key=\"variables\"/>\n  <config key=\"ports\"/>\n</config>\n");
        Files.writeString(dir.resolve("settings.xml"), s, StandardCharsets.UTF_8);
    }

    private static Operation<?> operation(String id) {
        return Operations.byId(id).orElseThrow(() -> new IllegalArgumentException("no operation '" + id + "'"));
    }

    private static StringBuilder header(String key) {
        return new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config "
                + "xmlns=\"http://www.knime.org/2008/09/XMLConfig\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\""
                + "http://www.knime.org/2008/09/XMLConfig http://www.knime.org/XMLConfig_2008_09.xsd\" key=\"" + key
                + "\">\n");
    }

    private static void entry(StringBuilder s, String indent, String key, String type, String value) {
        s.append(indent).append("<entry key=\"").append(key).append("\" type=\"").append(type).append("\" value=\"")
                .append(value.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;")).append("\"/>\n");
    }
}

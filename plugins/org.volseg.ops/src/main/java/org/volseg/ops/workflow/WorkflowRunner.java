package org.volseg.ops.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.volseg.core.io.VolumeFormatException;
import org.volseg.ops.Operations;
import org.volseg.ops.api.ModelPort;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.PortData;
import org.volseg.ops.api.Progress;
import org.volseg.ops.api.Table;
import org.volseg.ops.api.TableFiles;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Runs a KNIME workflow of VolSeg nodes without KNIME: reads {@code workflow.knime} and each node's
 * {@code settings.xml} (KNIME's XMLConfig format), runs the nodes in topological order with the settings under
 * "model", writes every output table to a results folder, and reports each node's status and time. A workflow that
 * uses a node VolSeg does not know is refused before anything runs, naming the node and its factory.
 */
public final class WorkflowRunner {

    /** A node of the workflow. */
    record WorkflowNode(int id, String name, Path folder, Operation<?> operation, Map<String, String> settings) {
    }

    /** A connection from an output port to an input port (0-based, without KNIME's flow-variable port). */
    record Connection(int source, int sourcePort, int dest, int destPort) {
    }

    /**
     * What happened to one node.
     *
     * @param node    "Volume Reader (#1)"
     * @param status  "executed", "failed: ..." or "not run: an upstream node failed"
     * @param seconds how long it ran
     */
    public record NodeReport(String node, String status, double seconds) {
        public boolean executed() {
            return status.equals("executed");
        }
    }

    private final Path workflow;
    private final Map<Integer, WorkflowNode> nodes = new TreeMap<>();
    private final List<Connection> connections = new ArrayList<>();

    /** Reads a workflow folder; refuses unknown nodes and broken files with the file named. */
    public WorkflowRunner(Path workflow) throws IOException {
        this.workflow = workflow;
        Path file = workflow.resolve("workflow.knime");
        Element root = read(file);
        Element nodeList = child(root, "config", "nodes");
        if (nodeList == null) {
            throw new VolumeFormatException(file, "nodes", "is missing: this is no KNIME workflow");
        }
        for (Element node : children(nodeList, "config")) {
            int id = intEntry(file, node, "id");
            Path settingsFile = workflow.resolve(entry(file, node, "node_settings_file"));
            nodes.put(id, node(id, settingsFile));
        }
        Element links = child(root, "config", "connections");
        for (Element c : links == null ? List.<Element>of() : children(links, "config")) {
            Connection connection = new Connection(intEntry(file, c, "sourceID"), intEntry(file, c, "sourcePort") - 1,
                    intEntry(file, c, "destID"), intEntry(file, c, "destPort") - 1);
            if (!nodes.containsKey(connection.source()) || !nodes.containsKey(connection.dest())) {
                throw new VolumeFormatException(file, "connections", "connect node " + connection.source()
                        + " to node " + connection.dest() + ", which the workflow does not have");
            }
            connections.add(connection);
        }
    }

    private WorkflowNode node(int id, Path settingsFile) throws IOException {
        Element root = read(settingsFile);
        String factory = entry(settingsFile, root, "factory");
        String name = entry(settingsFile, root, "name");
        Operation<?> operation = Operations.byFactory(factory).orElseThrow(() -> new VolumeFormatException(
                settingsFile, "factory", "node " + name + " (#" + id + ") uses " + factory
                        + ", which is no VolSeg node; VolSeg runs only its own nodes headless"));
        Map<String, String> settings = new LinkedHashMap<>();
        Element model = child(root, "config", "model");
        for (Element e : model == null ? List.<Element>of() : children(model, "entry")) {
            settings.put(e.getAttribute("key"), "true".equals(e.getAttribute("isnull")) ? "" : e.getAttribute("value"));
        }
        return new WorkflowNode(id, name, settingsFile.getParent(), operation, settings);
    }

    /** The nodes in an order where every node comes after those it reads from. */
    List<WorkflowNode> order() throws VolumeFormatException {
        Map<Integer, Integer> waiting = new TreeMap<>();
        nodes.keySet().forEach(id -> waiting.put(id, 0));
        connections.forEach(c -> waiting.merge(c.dest(), 1, Integer::sum));
        Deque<Integer> ready = new ArrayDeque<>();
        waiting.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        List<WorkflowNode> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int id = ready.poll();
            order.add(nodes.get(id));
            for (Connection c : connections) {
                if (c.source() == id && waiting.merge(c.dest(), -1, Integer::sum) == 0) {
                    ready.add(c.dest());
                }
            }
        }
        if (order.size() < nodes.size()) {
            throw new VolumeFormatException(workflow.resolve("workflow.knime"), "connections", "form a cycle");
        }
        return order;
    }

    /**
     * Runs every node; a failed node stops those downstream of it, not the others.
     *
     * @param results  folder for each node's output tables ("name (#id)/port_1.csv")
     * @param progress overall progress and cancellation
     */
    public List<NodeReport> run(Path results, Progress progress) throws Exception {
        List<WorkflowNode> order = order();
        Map<Integer, List<PortData>> outputs = new TreeMap<>();
        List<NodeReport> reports = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) {
            WorkflowNode node = order.get(k);
            String label = node.name() + " (#" + node.id() + ")";
            Progress slice = progress.slice((double) k / order.size(), (double) (k + 1) / order.size());
            List<PortData> inputs = inputs(node, outputs);
            if (inputs == null) {
                reports.add(new NodeReport(label, "not run: an upstream node failed", 0));
                continue;
            }
            long start = System.nanoTime();
            try {
                List<PortData> out = node.operation().run(node.settings(), inputs, slice);
                outputs.put(node.id(), out);
                for (int p = 0; p < out.size(); p++) {
                    if (out.get(p) instanceof Table table) {
                        TableFiles.write(table, results.resolve(label).resolve("port_" + (p + 1) + ".csv"));
                    } else if (out.get(p) instanceof ModelPort model) {
                        model.copyTo(results.resolve(label).resolve("port_" + (p + 1) + ModelPort.EXTENSION));
                    }
                }
                reports.add(new NodeReport(label, "executed", (System.nanoTime() - start) / 1e9));
            } catch (Progress.CanceledException e) {
                throw e;
            } catch (Exception e) {
                reports.add(new NodeReport(label, "failed: " + e.getMessage(), (System.nanoTime() - start) / 1e9));
            }
        }
        return reports;
    }

    private List<PortData> inputs(WorkflowNode node, Map<Integer, List<PortData>> outputs) {
        PortData[] inputs = new PortData[node.operation().inputs().size()];
        for (Connection c : connections) {
            if (c.dest() == node.id()) {
                List<PortData> upstream = outputs.get(c.source());
                if (upstream == null) {
                    return null;
                }
                inputs[c.destPort()] = upstream.get(c.sourcePort());
            }
        }
        return List.of(inputs);
    }

    // ---------------------------------------------------------------- KNIME's XMLConfig

    private static Element read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new VolumeFormatException(file, "file", "does not exist");
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            // workflows travel between people: no DOCTYPE, so no external entities and no entity expansion bombs
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Document d = factory.newDocumentBuilder().parse(file.toFile());
            return d.getDocumentElement();
        } catch (IOException | org.xml.sax.SAXException | javax.xml.parsers.ParserConfigurationException e) {
            // the parser reports bad encodings and broken markup alike, some of them as IOExceptions
            throw new VolumeFormatException(file, "xml", "is not valid XML (" + e.getMessage() + ")", e);
        }
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String tag, String key) {
        return children(parent, tag).stream().filter(e -> key.equals(e.getAttribute("key"))).findFirst()
                .orElse(null);
    }

    private static int intEntry(Path file, Element parent, String key) throws VolumeFormatException {
        String value = entry(file, parent, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new VolumeFormatException(file, key, "is '" + value + "'; expected a whole number", e);
        }
    }

    private static String entry(Path file, Element parent, String key) throws VolumeFormatException {
        Element e = child(parent, "entry", key);
        if (e == null) {
            throw new VolumeFormatException(file, key, "is missing");
        }
        return e.getAttribute("value");
    }

    /** Whether a folder holds a workflow. */
    public static boolean isWorkflow(Path folder) {
        return Files.isRegularFile(folder.resolve("workflow.knime"));
    }
}

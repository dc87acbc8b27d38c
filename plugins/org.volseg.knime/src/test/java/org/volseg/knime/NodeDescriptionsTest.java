package org.volseg.knime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.volseg.ops.Operations;
import org.volseg.ops.api.Operation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Every operation is a node: a factory named in plugin.xml, and a description generated from the operation. */
class NodeDescriptionsTest {

    private static Document parse(InputStream in) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(in);
    }

    @Test
    void pluginXmlNamesExactlyOneFactoryPerOperation() throws Exception {
        Document plugin = parse(java.nio.file.Files.newInputStream(Path.of("plugin.xml")));
        NodeList nodes = plugin.getElementsByTagName("node");
        List<String> factories = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element node = (Element) nodes.item(i);
            factories.add(node.getAttribute("factory-class"));
            assertThat(node.getAttribute("category-path")).isEqualTo("/volseg");
        }
        assertThat(factories).containsExactlyInAnyOrderElementsOf(
                Operations.all().stream().map(Operations::factoryClassName).toList());
    }

    @Test
    void eachFactoryRunsItsOperation() throws Exception {
        for (Operation<?> operation : Operations.all()) {
            Class<?> factory = Class.forName(Operations.factoryClassName(operation));
            assertThat(factory.getSuperclass()).isEqualTo(OperationNodeFactory.class);
            assertThat(factory.getField("OPERATION").get(null)).isEqualTo(operation.id());
        }
    }

    @Test
    void descriptionsFollowTheV41SchemaAndTheOperation() throws Exception {
        for (Operation<?> operation : Operations.all()) {
            String resource = NodeDescriptions.factorySimpleName(operation) + ".xml";
            Class<?> factory = Class.forName(Operations.factoryClassName(operation));
            Document d;
            try (InputStream in = factory.getResourceAsStream(resource)) {
                assertThat(in).as(resource + " beside its factory").isNotNull();
                d = parse(in);
            }
            Element root = d.getDocumentElement();
            assertThat(root.getNamespaceURI()).isEqualTo("http://knime.org/node/v4.1");
            assertThat(root.getLocalName()).isEqualTo("knimeNode");
            assertThat(root.getAttribute("type")).isIn("Source", "Sink", "Learner", "Predictor", "Manipulator",
                    "Visualizer", "Other");
            assertThat(factory.getResource(root.getAttribute("icon").substring(2))).as("icon").isNotNull();
            assertThat(text(d, "name")).isEqualTo(operation.name());
            assertThat(text(d, "shortDescription")).isEqualTo(operation.summary());
            assertThat(text(d, "intro")).isEqualTo(operation.description());
            NodeList options = d.getElementsByTagNameNS("*", "option");
            assertThat(options.getLength()).isEqualTo(operation.schema().settings().size());
            for (int i = 0; i < options.getLength(); i++) {
                var spec = operation.schema().settings().get(i);
                Element option = (Element) options.item(i);
                assertThat(option.getAttribute("name")).isEqualTo(spec.label());
                assertThat(option.getTextContent()).startsWith(spec.help());
            }
            assertThat(d.getElementsByTagNameNS("*", "inPort").getLength()).isEqualTo(operation.inputs().size());
            assertThat(d.getElementsByTagNameNS("*", "outPort").getLength()).isEqualTo(operation.outputs().size());
        }
    }

    private static String text(Document d, String tag) {
        return d.getElementsByTagNameNS("*", tag).item(0).getTextContent();
    }
}

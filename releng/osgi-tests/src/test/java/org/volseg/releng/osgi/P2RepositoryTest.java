package org.volseg.releng.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The p2 repository's metadata holds what KNIME's install dialog needs, and nothing of KNIME itself. */
class P2RepositoryTest {

    private static final List<String> BUNDLES = List.of("org.volseg.core", "org.volseg.nn", "org.volseg.ops",
            "org.volseg.knime");
    private static final Map<String, String> FRAGMENT_FILTERS = Map.of(
            "org.volseg.nn.natives.linux.x86_64", "(&(osgi.arch=x86_64)(osgi.os=linux))",
            "org.volseg.nn.natives.win32.x86_64", "(&(osgi.arch=x86_64)(osgi.os=win32))",
            "org.volseg.nn.natives.macosx.aarch64", "(&(osgi.arch=aarch64)(osgi.os=macosx))");

    private static final Map<String, Element> units = new HashMap<>();

    @BeforeAll
    static void readContentXml() throws Exception {
        NodeList list = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(PublishedBundles.REPOSITORY.resolve("content.xml").toFile()).getElementsByTagName("unit");
        for (int i = 0; i < list.getLength(); i++) {
            Element unit = (Element) list.item(i);
            units.put(unit.getAttribute("id"), unit);
        }
    }

    @Test
    void holdsTheFeatureOurFourBundlesAndTheNativeFragments() {
        assertThat(units).containsKeys("org.volseg.feature.feature.group", "org.volseg.feature.feature.jar");
        assertThat(units).containsKeys(BUNDLES.toArray(String[]::new));
        assertThat(units).containsKeys(FRAGMENT_FILTERS.keySet().toArray(String[]::new));
    }

    @Test
    void everyUnitIsOursAtOneVersion() {
        String version = units.get("org.volseg.feature.feature.group").getAttribute("version");
        assertThat(version).matches("0\\.1\\.0\\.v\\d{12}");
        for (Element unit : units.values()) {
            if (!isCategory(unit)) {
                assertThat(unit.getAttribute("id")).startsWith("org.volseg.");
                assertThat(unit.getAttribute("version")).as(unit.getAttribute("id")).isEqualTo(version);
            }
        }
        assertThat(units).doesNotContainKey("org.knime.core");
    }

    @Test
    void theKnimeBundleRequiresKnimeCoreFrom51To6() {
        assertThat(requirements(units.get("org.volseg.knime"), "osgi.bundle"))
                .contains("org.knime.core [5.1.0,6.0.0)");
    }

    @Test
    void eachNativeFragmentCarriesItsPlatformFilter() {
        FRAGMENT_FILTERS.forEach((id, filter) -> {
            Element unit = units.get(id);
            assertThat(childText(unit, "filter")).as(id).isEqualTo(filter);
            assertThat(requirements(unit, "osgi.bundle")).as(id).contains("org.volseg.nn [0.1.0,1.0.0)");
        });
    }

    @Test
    void aCategoryOffersTheFeature() {
        Element category = units.values().stream().filter(P2RepositoryTest::isCategory).findFirst().orElseThrow();
        assertThat(requirements(category, "org.eclipse.equinox.p2.iu")).singleElement().asString()
                .startsWith("org.volseg.feature.feature.group ");
    }

    @Test
    void everyUnitHasItsArtifactOnDisk() throws Exception {
        try (var plugins = Files.list(PublishedBundles.REPOSITORY.resolve("plugins"))) {
            assertThat(plugins.map(p -> p.getFileName().toString().replaceFirst("_[0-9][^_]*\\.jar$", "")))
                    .containsExactlyInAnyOrderElementsOf(concat(BUNDLES, FRAGMENT_FILTERS.keySet()));
        }
        try (var features = Files.list(PublishedBundles.REPOSITORY.resolve("features"))) {
            assertThat(features.map(p -> p.getFileName().toString().replaceFirst("_[0-9][^_]*\\.jar$", "")))
                    .containsExactly("org.volseg.feature");
        }
    }

    private static boolean isCategory(Element unit) {
        NodeList properties = unit.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            if ("org.eclipse.equinox.p2.type.category".equals(property.getAttribute("name"))) {
                return "true".equals(property.getAttribute("value"));
            }
        }
        return false;
    }

    /** "name range" of each requirement in a namespace. */
    private static List<String> requirements(Element unit, String namespace) {
        List<String> out = new ArrayList<>();
        NodeList required = unit.getElementsByTagName("required");
        for (int i = 0; i < required.getLength(); i++) {
            Element r = (Element) required.item(i);
            if (namespace.equals(r.getAttribute("namespace"))) {
                out.add(r.getAttribute("name") + " " + r.getAttribute("range"));
            }
        }
        return out;
    }

    /** The text of a direct child element, trimmed. */
    private static String childText(Element unit, String tag) {
        for (var node = unit.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(tag)) {
                return child.getTextContent().trim();
            }
        }
        return null;
    }

    private static List<String> concat(List<String> a, java.util.Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

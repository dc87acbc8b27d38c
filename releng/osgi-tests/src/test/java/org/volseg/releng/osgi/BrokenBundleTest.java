package org.volseg.releng.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check that guards the published bundles can fail: each kind of breakage is reported, naming its cause. */
class BrokenBundleTest {

    @TempDir
    Path dir;

    @Test
    void anImportNobodyExportsIsReportedWithThePackageNamed() throws Exception {
        Path jar = bundle("Import-Package", "org.volseg.nowhere", null);

        try (BundleCheck check = new BundleCheck(dir.resolve("osgi"), List.of(jar))) {
            assertThat(check.problems).singleElement().asString()
                    .contains("org.volseg.broken does not resolve")
                    .contains("Import-Package: org.volseg.nowhere");
        }
    }

    @Test
    void aClassNamedInPluginXmlThatIsMissingIsReported() throws Exception {
        Path jar = bundle(null, null, "<plugin><extension point=\"org.knime.workbench.repository.nodes\">"
                + "<node factory-class=\"org.volseg.broken.MissingNodeFactory\"/></extension></plugin>");

        try (BundleCheck check = new BundleCheck(dir.resolve("osgi"), List.of(jar))) {
            assertThat(check.problems).singleElement().asString()
                    .contains("names org.volseg.broken.MissingNodeFactory, which does not load");
        }
    }

    @Test
    void aBundleClassPathJarMissingFromTheBundleIsReported() throws Exception {
        Path jar = bundle("Bundle-ClassPath", ".,lib/absent-1.0.jar", null);

        try (BundleCheck check = new BundleCheck(dir.resolve("osgi"), List.of(jar))) {
            assertThat(check.problems).singleElement().asString()
                    .contains("lists lib/absent-1.0.jar on Bundle-ClassPath, but its jar lacks it");
        }
    }

    /** A singleton bundle org.volseg.broken with one extra manifest header and an optional plugin.xml. */
    private Path bundle(String header, String value, String pluginXml) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.volseg.broken;singleton:=true");
        main.putValue("Bundle-Version", "1.0.0");
        if (header != null) {
            main.putValue(header, value);
        }
        Path jar = dir.resolve("org.volseg.broken_1.0.0.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            if (pluginXml != null) {
                out.putNextEntry(new JarEntry("plugin.xml"));
                out.write(pluginXml.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }
}

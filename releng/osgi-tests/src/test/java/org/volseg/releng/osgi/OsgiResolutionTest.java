package org.volseg.releng.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/** The published bundles, plus the org.knime.core stand-in, in Equinox: what a KNIME installation would do. */
class OsgiResolutionTest {

    private static BundleCheck check;

    @BeforeAll
    static void installPublishedBundles() throws Exception {
        List<Path> jars = new ArrayList<>(PublishedBundles.plugins());
        jars.add(PublishedBundles.KNIME_STANDIN);
        check = new BundleCheck(PublishedBundles.STORAGE.resolve("published"), jars);
    }

    @AfterAll
    static void stop() throws Exception {
        check.close();
    }

    @Test
    void everyBundleResolvesAndEveryClassInPluginXmlLoads() {
        assertThat(check.problems).isEmpty();
        for (String name : List.of("org.volseg.core", "org.volseg.nn", "org.volseg.ops", "org.volseg.knime")) {
            assertThat(check.bundle(name).getState()).as(name).isEqualTo(Bundle.ACTIVE);
        }
        assertThat(check.bundle("org.volseg.nn.natives.linux.x86_64").getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(check.bundle("org.volseg.nn.natives.win32.x86_64").getState()).isEqualTo(Bundle.INSTALLED);
        assertThat(check.bundle("org.volseg.nn.natives.macosx.aarch64").getState()).isEqualTo(Bundle.INSTALLED);
    }

    @Test
    void theLinuxNativesFragmentIsAttachedToTheNnBundle() {
        List<String> fragments = check.bundle("org.volseg.nn").adapt(BundleWiring.class)
                .getProvidedWires(HostNamespace.HOST_NAMESPACE).stream()
                .map(BundleWire::getRequirer).map(r -> r.getSymbolicName()).toList();
        assertThat(fragments).containsExactly("org.volseg.nn.natives.linux.x86_64");
    }

    @Test
    void djlRunsAConv3dInsideTheNnBundleWithTheFragmentsNatives() throws Exception {
        // nothing of DJL or PyTorch on this test's own class path: all of it comes through the bundles
        assertThat(getClass().getClassLoader().getResource("native/lib/pytorch.properties")).isNull();
        assertThatThrownBy(() -> Class.forName("ai.djl.engine.Engine")).isInstanceOf(ClassNotFoundException.class);
        Bundle nn = check.bundle("org.volseg.nn");
        assertThat(nn.getResource("native/lib/pytorch.properties")).as("natives seen through the fragment").isNotNull();

        Object report = nn.loadClass("org.volseg.nn.engine.EngineDoctor").getMethod("diagnose").invoke(null);

        assertThat(component(report, "engineName")).isEqualTo("PyTorch");
        assertThat(component(report, "engineVersion")).isEqualTo("2.7.1");
        assertThat(component(report, "offline")).isEqualTo(true);
        Object conv3d = component(report, "conv3d");
        assertThat(component(conv3d, "outputShape")).isEqualTo("(1, 1, 2, 2, 2)");
        assertThat(component(conv3d, "ok")).isEqualTo(true);
    }

    /** A record component of an object from another class loader. */
    private static Object component(Object record, String name) throws ReflectiveOperationException {
        Method accessor = record.getClass().getMethod(name);
        return accessor.invoke(record);
    }
}

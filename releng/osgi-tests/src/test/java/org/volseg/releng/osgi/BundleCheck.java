package org.volseg.releng.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.osgi.util.ManifestElement;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Installs bundles into a fresh Equinox and lists every way they would fail in KNIME's OSGi runtime: a bundle that
 * does not resolve (with the unresolved requirement), a Bundle-ClassPath entry missing from its jar, a class named
 * in plugin.xml that its bundle cannot load. Fragments built for another platform are expected not to resolve.
 */
final class BundleCheck implements AutoCloseable {

    /** plugin.xml attributes that name classes (nodes, port types, serializers). */
    private static final List<String> CLASS_ATTRIBUTES =
            List.of("factory-class", "class", "objectClass", "objectSerializer", "specClass", "specSerializer");

    final Framework framework;
    final List<Bundle> bundles = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final List<String> loadedClasses = new ArrayList<>();

    BundleCheck(Path storage, List<Path> jars) throws BundleException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // strict: a JDK package a bundle forgot to import fails here, not only in a KNIME that is equally strict
        config.put("osgi.compatibility.bootdelegation", "false");
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        framework.start();
        for (Path jar : jars) {
            bundles.add(framework.getBundleContext().installBundle(jar.toUri().toString()));
        }
        framework.adapt(FrameworkWiring.class).resolveBundles(null);
        for (Bundle bundle : bundles) {
            check(bundle);
        }
    }

    private void check(Bundle bundle) {
        String name = bundle.getSymbolicName();
        boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
        if (!forThisPlatform(bundle)) {
            if (bundle.getState() != Bundle.INSTALLED) {
                problems.add(name + " is for another platform but resolved here");
            }
            return;
        }
        if (!fragment) {
            try {
                bundle.start();
            } catch (BundleException e) {
                problems.add(name + " does not resolve: " + e.getMessage());
                return;
            }
        }
        if ((bundle.getState() & (Bundle.ACTIVE | Bundle.RESOLVED)) == 0) {
            problems.add(name + " is neither ACTIVE nor RESOLVED (state " + bundle.getState() + ")");
            return;
        }
        checkClassPath(bundle);
        if (!fragment) {
            checkPluginXml(bundle);
        }
    }

    private boolean forThisPlatform(Bundle bundle) {
        String filter = bundle.getHeaders().get("Eclipse-PlatformFilter");
        if (filter == null) {
            return true;
        }
        Map<String, String> platform = Map.of("osgi.os", framework.getBundleContext().getProperty("osgi.os"),
                "osgi.arch", framework.getBundleContext().getProperty("osgi.arch"));
        try {
            return FrameworkUtil.createFilter(filter).matches(platform);
        } catch (InvalidSyntaxException e) {
            problems.add(bundle.getSymbolicName() + " has an invalid Eclipse-PlatformFilter: " + filter);
            return false;
        }
    }

    private void checkClassPath(Bundle bundle) {
        String classPath = bundle.getHeaders().get(Constants.BUNDLE_CLASSPATH);
        if (classPath == null) {
            return;
        }
        try {
            for (ManifestElement entry : ManifestElement.parseHeader(Constants.BUNDLE_CLASSPATH, classPath)) {
                String path = entry.getValue();
                if (!".".equals(path) && bundle.getEntry(path) == null) {
                    problems.add(bundle.getSymbolicName() + " lists " + path + " on Bundle-ClassPath, but its jar lacks it");
                }
            }
        } catch (BundleException e) {
            problems.add(bundle.getSymbolicName() + " has an unreadable Bundle-ClassPath: " + e.getMessage());
        }
    }

    private void checkPluginXml(Bundle bundle) {
        URL pluginXml = bundle.getEntry("plugin.xml");
        if (pluginXml == null) {
            return;
        }
        if (!bundle.getHeaders().get(Constants.BUNDLE_SYMBOLICNAME).contains("singleton:=true")) {
            problems.add(bundle.getSymbolicName() + " has plugin.xml but is not singleton:=true, so KNIME ignores it");
        }
        NodeList elements;
        try (InputStream in = pluginXml.openStream()) {
            elements = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in).getElementsByTagName("*");
        } catch (IOException | org.xml.sax.SAXException | javax.xml.parsers.ParserConfigurationException e) {
            problems.add(bundle.getSymbolicName() + "/plugin.xml cannot be read: " + e.getMessage());
            return;
        }
        for (int i = 0; i < elements.getLength(); i++) {
            Element element = (Element) elements.item(i);
            for (String attribute : CLASS_ATTRIBUTES) {
                String className = element.getAttribute(attribute);
                if (!className.isEmpty()) {
                    load(bundle, className);
                }
            }
        }
    }

    private void load(Bundle bundle, String className) {
        try {
            bundle.loadClass(className);
            loadedClasses.add(className);
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add(bundle.getSymbolicName() + "/plugin.xml names " + className + ", which does not load: " + e);
        }
    }

    Bundle bundle(String symbolicName) {
        return bundles.stream().filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst().orElseThrow(
                () -> new AssertionError(symbolicName + " is not installed"));
    }

    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        framework.waitForStop(30_000);
    }
}

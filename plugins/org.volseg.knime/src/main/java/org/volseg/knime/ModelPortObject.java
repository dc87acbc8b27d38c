package org.volseg.knime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import javax.swing.JComponent;
import javax.swing.JLabel;
import org.knime.core.node.CanceledExecutionException;
import org.knime.core.node.ExecutionMonitor;
import org.knime.core.node.port.AbstractPortObject;
import org.knime.core.node.port.PortObjectSpec;
import org.knime.core.node.port.PortObjectZipInputStream;
import org.knime.core.node.port.PortObjectZipOutputStream;
import org.knime.core.node.port.PortType;
import org.knime.core.node.port.PortTypeRegistry;
import org.volseg.ops.api.ModelPort;

/**
 * A "VolSeg Model" port: the model bundle travels inside the port's zip when KNIME saves a workflow, and as a file
 * while it runs (the operations read bundles from files).
 */
public final class ModelPortObject extends AbstractPortObject {

    /** The port type, as plugin.xml registers it. */
    public static final PortType TYPE = PortTypeRegistry.getInstance().getPortType(ModelPortObject.class);

    /** The zip entry holding the bundle. */
    private static final String ENTRY = "model" + ModelPort.EXTENSION;

    /** Registered in plugin.xml; KNIME creates it by reflection. */
    public static final class Serializer extends AbstractPortObjectSerializer<ModelPortObject> {
    }

    private Path bundle;
    private ModelPortObjectSpec spec;

    /** For KNIME's serializer, which loads the content afterwards. */
    public ModelPortObject() {
    }

    ModelPortObject(ModelPort model) {
        this.bundle = model.bundle();
        this.spec = new ModelPortObjectSpec(model.spec());
    }

    /** The operations layer's model port. */
    ModelPort model() {
        return new ModelPort(bundle, spec.spec());
    }

    @Override
    public String getSummary() {
        return spec.spec().summary();
    }

    @Override
    public PortObjectSpec getSpec() {
        return spec;
    }

    @Override
    public JComponent[] getViews() {
        JLabel view = new JLabel("<html>" + bundle + "<br>" + getSummary() + "</html>");
        view.setName("VolSeg Model");
        return new JComponent[] {view};
    }

    @Override
    protected void save(PortObjectZipOutputStream out, ExecutionMonitor exec) throws IOException {
        out.putNextEntry(new ZipEntry(ENTRY));
        Files.copy(bundle, out);
        out.closeEntry();
    }

    @Override
    protected void load(PortObjectZipInputStream in, PortObjectSpec loadedSpec, ExecutionMonitor exec)
            throws IOException, CanceledExecutionException {
        ZipEntry entry = in.getNextEntry();
        if (entry == null || !ENTRY.equals(entry.getName())) {
            throw new IOException("a saved VolSeg Model port holds no " + ENTRY + " (found "
                    + (entry == null ? "nothing" : entry.getName()) + ")");
        }
        Path file = Files.createTempFile("volseg-model-", ModelPort.EXTENSION);
        file.toFile().deleteOnExit();
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        bundle = file;
        spec = (ModelPortObjectSpec) loadedSpec;
    }
}

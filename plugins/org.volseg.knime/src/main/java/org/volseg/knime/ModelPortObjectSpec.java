package org.volseg.knime;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.swing.JComponent;
import javax.swing.JLabel;
import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.ModelContentRO;
import org.knime.core.node.ModelContentWO;
import org.knime.core.node.port.AbstractSimplePortObjectSpec;
import org.volseg.ops.api.ModelPort;

/** The spec of a "VolSeg Model" port: architecture, input channels, labels and patch size, known at configure. */
public final class ModelPortObjectSpec extends AbstractSimplePortObjectSpec {

    /** Registered in plugin.xml; KNIME creates it by reflection. */
    public static final class Serializer extends AbstractSimplePortObjectSpecSerializer<ModelPortObjectSpec> {
    }

    private ModelPort.Spec spec;

    /** For KNIME's serializer, which loads the content afterwards. */
    public ModelPortObjectSpec() {
    }

    ModelPortObjectSpec(ModelPort.Spec spec) {
        this.spec = spec;
    }

    /** The operations layer's spec. */
    public ModelPort.Spec spec() {
        return spec;
    }

    @Override
    protected void save(ModelContentWO model) {
        model.addString("architecture", spec.architecture());
        model.addStringArray("channels", spec.channels().toArray(String[]::new));
        model.addIntArray("label_values", spec.labels().keySet().stream().mapToInt(Integer::intValue).toArray());
        model.addStringArray("label_names", spec.labels().values().toArray(String[]::new));
        model.addIntArray("patch", spec.patch().stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    protected void load(ModelContentRO model) throws InvalidSettingsException {
        int[] values = model.getIntArray("label_values");
        String[] names = model.getStringArray("label_names");
        if (values.length != names.length) {
            throw new InvalidSettingsException("a VolSeg model spec with " + values.length + " label values and "
                    + names.length + " label names");
        }
        Map<Integer, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            labels.put(values[i], names[i]);
        }
        spec = new ModelPort.Spec(model.getString("architecture"), Arrays.asList(model.getStringArray("channels")),
                labels, Arrays.stream(model.getIntArray("patch")).boxed().toList());
    }

    @Override
    public JComponent[] getViews() {
        JLabel view = new JLabel(spec == null ? "no model" : spec.summary());
        view.setName("VolSeg Model");
        return new JComponent[] {view};
    }
}

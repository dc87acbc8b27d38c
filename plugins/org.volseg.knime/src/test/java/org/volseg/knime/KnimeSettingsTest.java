package org.volseg.knime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knime.core.node.NodeSettingsRO;
import org.knime.core.node.NodeSettingsWO;
import org.volseg.ops.Operations;
import org.volseg.ops.api.Operation;
import org.volseg.ops.api.SettingSpec;

/** Every setting of every operation survives a trip through KNIME's settings under its key and KNIME type. */
class KnimeSettingsTest {

    /** KNIME's settings as a map of key to typed value (the stand-in interfaces, implemented by a proxy). */
    static final class FakeSettings {
        private static final Map<String, Class<?>> TYPES = Map.of("getString", String.class, "getDouble",
                Double.class, "getInt", Integer.class, "getBoolean", Boolean.class);
        final Map<String, Object> values = new LinkedHashMap<>();

        Object proxy() {
            return Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {NodeSettingsRO.class, NodeSettingsWO.class}, (p, method, args) -> {
                        String name = method.getName();
                        if (name.startsWith("add")) {
                            values.put((String) args[0], args[1]);
                            return null;
                        }
                        if (name.equals("containsKey")) {
                            return values.containsKey(args[0]);
                        }
                        if (name.startsWith("get") && args.length == 2) {
                            // as KNIME: a value stored under another type reads as the default
                            Object v = values.get(args[0]);
                            return TYPES.get(name).isInstance(v) ? v : args[1];
                        }
                        throw new UnsupportedOperationException(name);
                    });
        }
    }

    /** A valid value that is not the default, so that a round trip cannot pass by falling back to it. */
    private static String otherThanDefault(SettingSpec s) {
        if (s.type() == boolean.class) {
            return Boolean.toString(!Boolean.parseBoolean(s.defaultValue()));
        }
        if (!s.choices().isEmpty()) {
            return s.choices().get(s.choices().get(0).equals(s.defaultValue()) ? 1 : 0);
        }
        if (s.type() == int.class || s.type() == long.class) {
            long d = Long.parseLong(s.defaultValue());
            return Long.toString(d + 1 <= s.max() ? d + 1 : d - 1);
        }
        if (s.type() == double.class) {
            double d = Double.parseDouble(s.defaultValue());
            return Double.toString(d + 0.5 * ((Double.isFinite(s.max()) ? s.max() : d + 2) - d));
        }
        if (s.type() == org.volseg.nn.engine.Compute.class) {
            return "gpu:1";
        }
        if (s.type() == org.volseg.nn.inferers.Mirroring.class) {
            return "x,yz";
        }
        if (s.type() == org.volseg.core.data.Splits.CrossValidation.class) {
            return "2/5";
        }
        if (s.type() == org.volseg.core.transforms.TargetSpacing.class) {
            return "0.8,0.8,3";
        }
        return s.type() == java.nio.file.Path.class ? "/data/set" : s.defaultValue() + "x";
    }

    @Test
    void everySettingRoundTripsWithItsKnimeType() throws Exception {
        for (Operation<?> operation : Operations.all()) {
            roundTrip(operation);
        }
    }

    private static <S extends Record> void roundTrip(Operation<S> operation) throws Exception {
        Map<String, String> changed = new HashMap<>();
        for (SettingSpec s : operation.schema().settings()) {
            changed.put(s.key(), otherThanDefault(s));
        }
        S settings = operation.schema().parse(changed);
        FakeSettings store = new FakeSettings();
        KnimeSettings.write((NodeSettingsWO) store.proxy(), operation.schema(), operation.schema().format(settings));
        assertThat(store.values.keySet()).containsExactlyElementsOf(
                operation.schema().settings().stream().map(SettingSpec::key).toList());
        assertThat(KnimeSettings.parse((NodeSettingsRO) store.proxy(), operation.schema())).isEqualTo(settings);
    }

    @Test
    void aSpacingSavedAsANumberByAnOlderVolSegReadsOn() throws Exception {
        var schema = org.volseg.ops.api.SettingsSchema.of(org.volseg.ops.learner.SegmenterLearnerSettings.class);
        FakeSettings store = new FakeSettings();
        store.values.put("spacing", 1.5); // the learners' spacing was a double before "auto"
        assertThat(schema.parse(KnimeSettings.read((NodeSettingsRO) store.proxy(), schema)).spacing().mm())
                .containsExactly(1.5, 1.5, 1.5);
        store.values.put("spacing", 0.0);
        assertThat(schema.parse(KnimeSettings.read((NodeSettingsRO) store.proxy(), schema)).spacing())
                .isEqualTo(org.volseg.core.transforms.TargetSpacing.KEEP);
    }

    /** (KNIME's own InvalidSettingsException cannot be made outside KNIME: the stand-in's constructors throw.) */
    @Test
    void anInvalidValueIsRefusedNamingTheSetting() {
        Operation<?> reader = Operations.byId("volume-reader").orElseThrow();
        FakeSettings store = new FakeSettings();
        store.values.put("source", "xnat");
        assertThatThrownBy(() -> reader.schema().parse(KnimeSettings.read((NodeSettingsRO) store.proxy(),
                reader.schema())))
                .isInstanceOf(org.volseg.ops.api.InvalidSettingsException.class)
                .hasMessage("Dataset description (source) is 'xnat'; allowed: folder, csv or msd");
    }
}

package org.volseg.knime;

import java.util.LinkedHashMap;
import java.util.Map;
import org.knime.core.node.InvalidSettingsException;
import org.knime.core.node.NodeSettingsRO;
import org.knime.core.node.NodeSettingsWO;
import org.knime.core.node.defaultnodesettings.SettingsModel;
import org.knime.core.node.defaultnodesettings.SettingsModelBoolean;
import org.knime.core.node.defaultnodesettings.SettingsModelDoubleBounded;
import org.knime.core.node.defaultnodesettings.SettingsModelIntegerBounded;
import org.knime.core.node.defaultnodesettings.SettingsModelString;
import org.volseg.ops.api.SettingSpec;
import org.volseg.ops.api.SettingsSchema;

/**
 * Maps an operation's settings to KNIME's settings.xml and back, under the schema's keys and with KNIME types
 * (int, double, boolean, string) so that flow variables and the dialog's SettingsModels fit them.
 */
final class KnimeSettings {

    private KnimeSettings() {
    }

    /** The text values of every setting, defaults for those absent. */
    static Map<String, String> read(NodeSettingsRO settings, SettingsSchema<?> schema) {
        Map<String, String> values = new LinkedHashMap<>();
        for (SettingSpec s : schema.settings()) {
            if (!settings.containsKey(s.key())) {
                continue;
            }
            String value;
            if (isInt(s)) {
                value = Integer.toString(settings.getInt(s.key(), Integer.parseInt(s.defaultValue())));
            } else if (s.type() == double.class) {
                value = Double.toString(settings.getDouble(s.key(), Double.parseDouble(s.defaultValue())));
            } else if (s.type() == boolean.class) {
                value = Boolean.toString(settings.getBoolean(s.key(), Boolean.parseBoolean(s.defaultValue())));
            } else {
                value = settings.getString(s.key(), null);
                if (value == null) {
                    // saved under a number's KNIME type by an older VolSeg (the learners' spacing was a double)
                    double number = settings.getDouble(s.key(), Double.NaN);
                    value = Double.isNaN(number) ? s.defaultValue() : Double.toString(number);
                }
            }
            values.put(s.key(), value);
        }
        return values;
    }

    /** Writes text values under their keys with their KNIME types. */
    static void write(NodeSettingsWO settings, SettingsSchema<?> schema, Map<String, String> values) {
        for (SettingSpec s : schema.settings()) {
            String value = values.getOrDefault(s.key(), s.defaultValue());
            if (isInt(s)) {
                settings.addInt(s.key(), Integer.parseInt(value));
            } else if (s.type() == double.class) {
                settings.addDouble(s.key(), Double.parseDouble(value));
            } else if (s.type() == boolean.class) {
                settings.addBoolean(s.key(), Boolean.parseBoolean(value));
            } else {
                settings.addString(s.key(), value);
            }
        }
    }

    /** Parses and validates, as KNIME's validateSettings expects. */
    static <S extends Record> S parse(NodeSettingsRO settings, SettingsSchema<S> schema)
            throws InvalidSettingsException {
        try {
            return schema.parse(read(settings, schema));
        } catch (org.volseg.ops.api.InvalidSettingsException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    /** The dialog's model for a setting: the same key and type as {@link #write}. */
    static SettingsModel model(SettingSpec s) {
        if (isInt(s)) {
            return new SettingsModelIntegerBounded(s.key(), Integer.parseInt(s.defaultValue()),
                    (int) Math.max(Integer.MIN_VALUE, s.min()), (int) Math.min(Integer.MAX_VALUE, s.max()));
        }
        if (s.type() == double.class) {
            return new SettingsModelDoubleBounded(s.key(), Double.parseDouble(s.defaultValue()),
                    Math.max(-Double.MAX_VALUE, s.min()), Math.min(Double.MAX_VALUE, s.max()));
        }
        if (s.type() == boolean.class) {
            return new SettingsModelBoolean(s.key(), Boolean.parseBoolean(s.defaultValue()));
        }
        return new SettingsModelString(s.key(), s.defaultValue());
    }

    private static boolean isInt(SettingSpec s) {
        return s.type() == int.class || s.type() == long.class;
    }
}

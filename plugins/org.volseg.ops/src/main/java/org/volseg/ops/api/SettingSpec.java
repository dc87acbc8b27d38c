package org.volseg.ops.api;

import java.util.List;

/**
 * A setting as the schema read it from its {@link Setting} annotation and record component.
 *
 * @param key          settings key (KNIME) and, with '-' for '_', command-line option
 * @param label        dialog label
 * @param description  description for node description, tooltip and --help
 * @param type         Java type of the record component
 * @param defaultValue default as text
 * @param min          smallest allowed number
 * @param max          largest allowed number
 * @param choices      allowed texts (empty: any)
 * @param tab          dialog tab
 * @param widget       dialog widget
 */
public record SettingSpec(String key, String label, String description, Class<?> type, String defaultValue,
        double min, double max, List<String> choices, String tab, Setting.Widget widget) {

    /** "--patch-size" for key "patch_size". */
    public String option() {
        return "--" + key.replace('_', '-');
    }

    /** The entry type KNIME's settings.xml stores it as: xint, xdouble, xboolean or xstring. */
    public String knimeType() {
        if (type == int.class || type == long.class) {
            return "xint";
        }
        if (type == double.class) {
            return "xdouble";
        }
        return type == boolean.class ? "xboolean" : "xstring";
    }

    /** The description with what is allowed and the default: the text of --help and of the node description. */
    public String help() {
        String allowed = allowed();
        return description + (allowed.equals("any value") ? "" : " Allowed: " + allowed + ".") + " Default: "
                + (defaultValue.isEmpty() ? "(none)" : defaultValue) + ".";
    }

    /** The allowed values, in words, for messages and help ("16 to 512", "folder, csv or msd"). */
    public String allowed() {
        if (!choices.isEmpty()) {
            return choices.size() == 1 ? choices.get(0)
                    : String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.get(
                            choices.size() - 1);
        }
        if (type == boolean.class) {
            return "true or false";
        }
        boolean low = min > Double.NEGATIVE_INFINITY;
        boolean high = max < Double.POSITIVE_INFINITY;
        String lo = SettingsSchema.text(min, type);
        String hi = SettingsSchema.text(max, type);
        return low && high ? lo + " to " + hi : low ? "at least " + lo : high ? "at most " + hi : "any value";
    }
}

package org.volseg.knime;

import org.knime.core.node.defaultnodesettings.DefaultNodeSettingsPane;
import org.knime.core.node.defaultnodesettings.DialogComponent;
import org.knime.core.node.defaultnodesettings.DialogComponentBoolean;
import org.knime.core.node.defaultnodesettings.DialogComponentFileChooser;
import org.knime.core.node.defaultnodesettings.DialogComponentNumber;
import org.knime.core.node.defaultnodesettings.DialogComponentString;
import org.knime.core.node.defaultnodesettings.DialogComponentStringSelection;
import org.knime.core.node.defaultnodesettings.SettingsModel;
import org.knime.core.node.defaultnodesettings.SettingsModelBoolean;
import org.knime.core.node.defaultnodesettings.SettingsModelNumber;
import org.knime.core.node.defaultnodesettings.SettingsModelString;
import org.volseg.ops.api.Setting;
import org.volseg.ops.api.SettingSpec;
import org.volseg.ops.api.SettingsSchema;

/** A node's dialog, built from its operation's settings schema: one component per setting, tabs as declared. */
final class OperationDialog extends DefaultNodeSettingsPane {

    /** javax.swing.JFileChooser.OPEN_DIALOG, a compile-time constant. */
    private static final int OPEN_DIALOG = 0;

    OperationDialog(SettingsSchema<?> schema, String historyId) {
        String tab = null;
        for (SettingSpec s : schema.settings()) {
            if (!s.tab().equals(tab)) {
                if (tab == null) {
                    setDefaultTabTitle(s.tab());
                } else {
                    createNewTab(s.tab());
                }
                tab = s.tab();
            }
            DialogComponent component = component(s, KnimeSettings.model(s), historyId);
            component.setToolTipText(s.description());
            addDialogComponent(component);
        }
    }

    private static DialogComponent component(SettingSpec s, SettingsModel model, String historyId) {
        if (model instanceof SettingsModelBoolean b) {
            return new DialogComponentBoolean(b, s.label());
        }
        if (model instanceof SettingsModelNumber n) {
            return new DialogComponentNumber(n, s.label(), s.type() == double.class ? 0.1 : 1);
        }
        SettingsModelString text = (SettingsModelString) model;
        if (!s.choices().isEmpty()) {
            return new DialogComponentStringSelection(text, s.label(), s.choices());
        }
        if (s.widget() != Setting.Widget.AUTO) {
            DialogComponentFileChooser chooser = new DialogComponentFileChooser(text, historyId + "." + s.key(),
                    OPEN_DIALOG, s.widget() == Setting.Widget.FOLDER);
            chooser.setBorderTitle(s.label());
            return chooser;
        }
        return new DialogComponentString(text, s.label());
    }
}

package org.volseg.ops.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One setting of an operation, on a component of its settings record. The one place a setting's key, label,
 * description, default, bounds and choices are written: the KNIME dialog and node description, the command line's
 * options and help, and validation all read them from here.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {

    /** The key in KNIME's settings.xml; the command-line option is "--" + key with '_' as '-'. */
    String key();

    /** A short label for dialogs. */
    String label();

    /** One or two sentences, shown as the node description's option text, tooltip and --help. */
    String description();

    /** The default, as text ("0.5", "true", "folder"). */
    String defaultValue();

    /** Smallest allowed value of a number. */
    double min() default Double.NEGATIVE_INFINITY;

    /** Largest allowed value of a number. */
    double max() default Double.POSITIVE_INFINITY;

    /** The allowed values of a text setting (empty: any). */
    String[] choices() default {};

    /** The dialog tab it appears on. */
    String tab() default "Options";

    /** How a dialog edits it. */
    Widget widget() default Widget.AUTO;

    /** Dialog widgets beyond what the type implies. */
    enum Widget { AUTO, FILE, FOLDER, FILE_OR_FOLDER }
}

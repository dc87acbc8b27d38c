package org.volseg.ops.api;

import java.util.List;

/**
 * One node: typed settings, input and output ports, {@code configure} (specs only, no data) and {@code execute}
 * (data, progress, cancellation). Plain Java, no KNIME: the KNIME adapter and the command line both run it.
 *
 * @param <S> the settings record, annotated with {@link Setting}
 */
public interface Operation<S extends Record> {

    /** The command-line name, e.g. "volume-reader". */
    String id();

    /** The KNIME node name, e.g. "Volume Reader". */
    String name();

    /** One sentence: the node's short description. */
    String summary();

    /** A paragraph: the node description's introduction and the command's --help. */
    String description();

    /** KNIME's node type (Source, Learner, Predictor, Manipulator, Visualizer, Other). */
    String nodeType();

    Class<S> settingsType();

    List<Port> inputs();

    List<Port> outputs();

    /**
     * The output specs from the settings and input specs alone, or a clear refusal.
     *
     * @param inputs the inputs' specs (null where not known yet)
     * @throws InvalidSettingsException when the settings or inputs cannot work, naming why
     */
    List<PortSpec> configure(S settings, List<PortSpec> inputs) throws InvalidSettingsException;

    /**
     * Does the work.
     *
     * @throws InvalidSettingsException when the settings do not fit the data
     * @throws java.io.IOException when input files are unreadable (a VolumeFormatException names file and field)
     * @throws Progress.CanceledException when the user cancelled
     */
    List<PortData> execute(S settings, List<PortData> inputs, Progress progress) throws Exception;

    /** This operation's settings schema. */
    default SettingsSchema<S> schema() {
        return SettingsSchema.of(settingsType());
    }

    /**
     * Runs the operation headless from text settings (a command line's options, a workflow's settings.xml):
     * parses and validates them, configures with the inputs' specs, executes.
     */
    default List<PortData> run(java.util.Map<String, String> settings, List<PortData> inputs, Progress progress)
            throws Exception {
        S parsed = schema().parse(settings);
        configure(parsed, inputs.stream().map(d -> d instanceof Table t ? (PortSpec) t.spec()
                : d instanceof ModelPort m ? m.spec() : null).toList());
        return execute(parsed, inputs, progress);
    }
}

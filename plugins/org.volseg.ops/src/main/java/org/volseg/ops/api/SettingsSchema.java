package org.volseg.ops.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An operation's settings, read once from the {@link Setting} annotations of its settings record: parses text
 * values (from KNIME settings, command-line options or a workflow's settings.xml) into the record, with defaults
 * for what is missing, and validates them with messages that name the setting and what it allows.
 *
 * @param <S> the settings record
 */
public final class SettingsSchema<S extends Record> {

    private static final Map<Class<?>, SettingsSchema<?>> CACHE = new ConcurrentHashMap<>();

    private final Class<S> type;
    private final List<SettingSpec> settings;
    private final Constructor<S> constructor;

    private SettingsSchema(Class<S> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        List<SettingSpec> specs = new ArrayList<>();
        for (RecordComponent c : components) {
            Setting s = c.getAnnotation(Setting.class);
            if (s == null) {
                throw new IllegalStateException(type.getName() + "." + c.getName() + " has no @Setting");
            }
            List<String> choices = List.of(s.choices());
            if (c.getType().isEnum() && choices.isEmpty()) {
                choices = Arrays.stream(c.getType().getEnumConstants()).map(e -> enumText((Enum<?>) e)).toList();
            }
            specs.add(new SettingSpec(s.key(), s.label(), s.description(), c.getType(), s.defaultValue(), s.min(),
                    s.max(), choices, s.tab(), s.widget()));
        }
        this.settings = List.copyOf(specs);
        try {
            this.constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
        try {
            defaults();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the defaults of " + type.getName() + " are not valid: "
                    + e.getMessage(), e);
        }
    }

    /** The schema of a settings record (read once per class). */
    @SuppressWarnings("unchecked")
    public static <S extends Record> SettingsSchema<S> of(Class<S> type) {
        return (SettingsSchema<S>) CACHE.computeIfAbsent(type, t -> new SettingsSchema<>(type));
    }

    public Class<S> type() {
        return type;
    }

    /** The settings in record order. */
    public List<SettingSpec> settings() {
        return settings;
    }

    /** Every setting at its default. */
    public S defaults() {
        try {
            return parse(Map.of());
        } catch (InvalidSettingsException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The record from text values by key; missing keys take their defaults, unknown keys are refused.
     *
     * @throws InvalidSettingsException naming the first setting that is not allowed, and what is
     */
    public S parse(Map<String, String> values) throws InvalidSettingsException {
        for (String key : values.keySet()) {
            if (settings.stream().noneMatch(s -> s.key().equals(key))) {
                throw new InvalidSettingsException("there is no setting '" + key + "'; the settings are "
                        + settings.stream().map(SettingSpec::key).toList());
            }
        }
        Object[] args = new Object[settings.size()];
        for (int i = 0; i < args.length; i++) {
            SettingSpec spec = settings.get(i);
            args[i] = value(spec, values.getOrDefault(spec.key(), spec.defaultValue()));
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new InvalidSettingsException(bad.getMessage());
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text values by key, in record order: what {@link #parse} reads back to an equal record. */
    public Map<String, String> format(S settings) {
        Map<String, String> out = new LinkedHashMap<>();
        RecordComponent[] components = type.getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            try {
                Object value = components[i].getAccessor().invoke(settings);
                out.put(this.settings.get(i).key(), value == null ? "" : value instanceof Enum<?> e ? enumText(e)
                        : String.valueOf(value));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static Object value(SettingSpec spec, String text) throws InvalidSettingsException {
        String t = text == null ? "" : text.trim();
        Class<?> type = spec.type();
        try {
            Object value;
            if (type == String.class) {
                value = t;
            } else if (type == int.class || type == Integer.class) {
                value = Integer.parseInt(t);
            } else if (type == long.class || type == Long.class) {
                value = Long.parseLong(t);
            } else if (type == double.class || type == Double.class) {
                value = Double.parseDouble(t);
            } else if (type == boolean.class || type == Boolean.class) {
                if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                    throw new NumberFormatException();
                }
                value = Boolean.parseBoolean(t);
            } else if (type == Path.class) {
                value = t.isEmpty() ? null : Path.of(t);
            } else if (type.isEnum()) {
                value = Arrays.stream(type.getEnumConstants()).filter(e -> enumText((Enum<?>) e).equals(
                        t.toLowerCase(Locale.ROOT).replace('_', '-'))).findFirst().orElseThrow(
                                NumberFormatException::new);
            } else {
                value = parsed(spec, t);
            }
            check(spec, value, t);
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException(spec.label() + " (" + spec.key() + ") is '" + t + "'; allowed: "
                    + spec.allowed());
        }
    }

    /**
     * A value of a type that reads itself from text with a static {@code parse(String)} and writes itself back with
     * {@code toString()} (a device such as "gpu:1", a set of flips such as "x,y").
     */
    private static Object parsed(SettingSpec spec, String text) throws InvalidSettingsException {
        java.lang.reflect.Method parse;
        try {
            parse = spec.type().getMethod("parse", String.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("settings of type " + spec.type() + " are not supported", e);
        }
        try {
            return parse.invoke(null, text);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new InvalidSettingsException(spec.label() + " (" + spec.key() + "): " + bad.getMessage());
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(SettingSpec spec, Object value, String text) throws InvalidSettingsException {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || d < spec.min() || d > spec.max()) {
                throw new InvalidSettingsException(spec.label() + " (" + spec.key() + ") is " + text
                        + "; allowed: " + spec.allowed());
            }
        }
        if (value instanceof String s && !spec.choices().isEmpty() && !spec.choices().contains(s)) {
            throw new InvalidSettingsException(spec.label() + " (" + spec.key() + ") is '" + s + "'; allowed: "
                    + spec.allowed());
        }
    }

    /** An enum constant as users type it: ENCODER_ONLY → "encoder-only". */
    static String enumText(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A bound as text: integers without ".0". */
    static String text(double bound, Class<?> type) {
        return type == int.class || type == long.class || bound == Math.rint(bound) ? Long.toString((long) bound)
                : Double.toString(bound);
    }
}

package dev.rumor.agent.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers configs with serf's semantics: a value set in the later layer wins; lists concatenate
 * ({@code event_handlers}, {@code start_join}, {@code retry_join}, {@code handlers}); maps merge key by
 * key ({@code tags}). It walks the record's components reflectively, so a key added to
 * {@link AgentConfig} cannot be forgotten here (serf's hand-written MergeConfig has had such bugs).
 */
public final class ConfigMerge {
    private static final RecordComponent[] COMPONENTS = AgentConfig.class.getRecordComponents();
    private static final Constructor<AgentConfig> CONSTRUCTOR = canonicalConstructor();

    private ConfigMerge() {
    }

    /** {@code over} layered on top of {@code base}. */
    public static AgentConfig merge(AgentConfig base, AgentConfig over) {
        Object[] values = new Object[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            values[i] = mergeValue(get(COMPONENTS[i], base), get(COMPONENTS[i], over));
        }
        return construct(values);
    }

    /** Folds {@link #merge} over layers, lowest precedence first. */
    public static AgentConfig mergeAll(List<AgentConfig> layers) {
        AgentConfig result = empty();
        for (AgentConfig layer : layers) {
            result = merge(result, layer);
        }
        return result;
    }

    static AgentConfig empty() {
        return construct(new Object[COMPONENTS.length]);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object mergeValue(Object base, Object over) {
        if (over == null) {
            return base;
        }
        if (base == null) {
            return over;
        }
        if (base instanceof List<?> b && over instanceof List<?> o) {
            List merged = new ArrayList<>(b);
            merged.addAll(o);
            return List.copyOf(merged);
        }
        if (base instanceof Map<?, ?> b && over instanceof Map<?, ?> o) {
            Map merged = new LinkedHashMap<>(b);
            merged.putAll(o);
            return merged;
        }
        return over;
    }

    private static Object get(RecordComponent c, AgentConfig cfg) {
        try {
            return c.getAccessor().invoke(cfg);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AgentConfig construct(Object[] values) {
        try {
            return CONSTRUCTOR.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Constructor<AgentConfig> canonicalConstructor() {
        Class<?>[] types = new Class<?>[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            types[i] = COMPONENTS[i].getType();
        }
        try {
            return AgentConfig.class.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.rumor.agent.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds unknown keys with their exact position before binding. Jackson binds records through their
 * constructor and only reports unknown properties when the whole object has been read, so its location
 * points at the closing brace (for YAML often on a later line). This walks the token stream against
 * the record schema instead: record components are the known keys, maps ({@code tags},
 * a handler's {@code config}) accept any key.
 */
final class KeyChecker {

    /** Schema of one object level: known key → schema of its value (null = free-form value). */
    private record Schema(Map<String, Object> keys) {
    }

    private static final Object FREE = new Object();
    private static final Schema AGENT = schemaOf(AgentConfig.class);

    private KeyChecker() {
    }

    /** @throws ConfigException at the first unknown key; the parser is consumed */
    static void check(String file, JsonParser p) throws IOException, ConfigException {
        Deque<Object> stack = new ArrayDeque<>(); // Schema, FREE, or an array marker holding the element schema
        Deque<String> path = new ArrayDeque<>();
        Object pendingValueSchema = AGENT;
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    Object s = pendingValueSchema;
                    if (t == JsonToken.START_ARRAY) {
                        stack.push(new ArrayOf(s));
                        pendingValueSchema = s;
                        path.push("[0]");
                    } else {
                        stack.push(s == null ? FREE : s);
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    Object top = stack.pop();
                    if (top instanceof ArrayOf) {
                        path.pop();
                    }
                    afterValue(stack, path);
                    pendingValueSchema = elementSchema(stack);
                }
                case FIELD_NAME -> {
                    String name = p.currentName();
                    Object top = stack.peek();
                    if (top instanceof Schema s) {
                        if (!s.keys().containsKey(name)) {
                            JsonLocation loc = p.currentTokenLocation();
                            path.push(name);
                            throw new ConfigException(file, loc.getLineNr(), loc.getColumnNr(), render(path),
                                    "unknown key '" + name + "'");
                        }
                        pendingValueSchema = s.keys().get(name);
                    } else {
                        pendingValueSchema = FREE;
                    }
                    path.push(name);
                }
                default -> {
                    afterValue(stack, path);
                    pendingValueSchema = elementSchema(stack);
                }
            }
        }
    }

    /** A finished value: pop its key from the path, or advance the array index. */
    private static void afterValue(Deque<Object> stack, Deque<String> path) {
        Object top = stack.peek();
        if (top instanceof ArrayOf a) {
            a.index++;
            path.pop();
            path.push("[" + a.index + "]");
        } else if (top != null && !path.isEmpty()) {
            path.pop();
        }
    }

    private static Object elementSchema(Deque<Object> stack) {
        Object top = stack.peek();
        return top instanceof ArrayOf a ? a.element : null;
    }

    private static String render(Deque<String> path) {
        StringBuilder sb = new StringBuilder();
        var it = path.descendingIterator();
        while (it.hasNext()) {
            String part = it.next();
            if (!part.startsWith("[") && sb.length() > 0) {
                sb.append('.');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    private static final class ArrayOf {
        final Object element;
        int index;

        ArrayOf(Object element) {
            this.element = element;
        }
    }

    private static Schema schemaOf(Class<?> record) {
        Map<String, Object> keys = new HashMap<>();
        for (RecordComponent rc : record.getRecordComponents()) {
            // @JsonProperty does not target record components; it propagates to the accessor.
            JsonProperty jp = rc.getAccessor().getAnnotation(JsonProperty.class);
            String key = jp != null ? jp.value() : rc.getName();
            keys.put(key, valueSchema(rc.getGenericType()));
        }
        return new Schema(keys);
    }

    private static Object valueSchema(Type type) {
        if (type instanceof Class<?> c && c.isRecord() && c != GoDuration.class) {
            return schemaOf(c);
        }
        if (type instanceof ParameterizedType pt && pt.getRawType() == java.util.List.class) {
            Type el = pt.getActualTypeArguments()[0];
            if (el instanceof Class<?> c && c.isRecord()) {
                return schemaOf(c); // arrays take their element's schema
            }
        }
        return null; // scalars and maps: free-form
    }
}

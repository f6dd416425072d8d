package dev.rumor.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads agent config files: serf's JSON, and the same keys in YAML ({@code .yaml}/{@code .yml}).
 * Paths are processed in the order given; a directory contributes its {@code *.json}, {@code *.yaml}
 * and {@code *.yml} files (one level, lexical order), as serf's {@code -config-dir} does for JSON.
 * Unknown keys, wrong types and duplicate keys are errors located by file, line, column and key.
 *
 * <p>Thread contract: stateless apart from the immutable mappers; safe from any thread.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * The JSON mapper, made on first use: an agent started without config files never initialises Jackson's
     * databind (about 380 classes, ~4 MiB of class metadata, and their caches on the heap).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = configure(new ObjectMapper());
    }

    /** The YAML mapper, made on first use too: serf-style JSON configs never load SnakeYAML. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = configure(new ObjectMapper(new YAMLFactory()));
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return m;
    }

    /** Loads every path (file or directory) in order; each element is one layer for {@link ConfigMerge}. */
    public static List<AgentConfig> load(List<Path> paths) throws ConfigException {
        List<AgentConfig> layers = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                for (Path f : configFilesIn(p)) {
                    layers.add(loadFile(f));
                }
            } else {
                layers.add(loadFile(p));
            }
        }
        return layers;
    }

    /** The files a config directory contributes, in lexical order. */
    public static List<Path> configFilesIn(Path dir) throws ConfigException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> isYaml(f) || f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new ConfigException(dir.toString(), 0, 0, null, "Error reading config directory: " + e.getMessage());
        }
    }

    /** Loads one file; YAML by extension, JSON otherwise (serf reads any -config-file as JSON). */
    public static AgentConfig loadFile(Path file) throws ConfigException {
        ObjectMapper mapper = isYaml(file) ? Yaml.MAPPER : Json.MAPPER;
        String name = file.toString();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, null, "Error reading config file: " + e.getMessage());
        }
        try (JsonParser keys = mapper.createParser(content)) {
            KeyChecker.check(name, keys);
        } catch (JsonProcessingException e) {
            throw translate(name, e);
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, null, "Error reading config file: " + e.getMessage());
        }
        try (JsonParser parser = mapper.createParser(content)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return AgentConfig.empty(); // empty or comment-only file
            }
            if (first != JsonToken.START_OBJECT) {
                JsonLocation loc = parser.currentTokenLocation();
                throw new ConfigException(name, loc.getLineNr(), loc.getColumnNr(), null,
                        "the config must be an object of keys, found " + describe(first));
            }
            return mapper.readValue(parser, AgentConfig.class);
        } catch (JsonProcessingException e) {
            throw translate(name, e);
        } catch (IOException e) {
            throw new ConfigException(name, 0, 0, null, "Error reading config file: " + e.getMessage());
        }
    }

    private static boolean isYaml(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    static ConfigException translate(String file, JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        if (e instanceof JsonMappingException && e.getProcessor() instanceof JsonParser p
                && p.currentTokenLocation() != null && p.currentTokenLocation().getLineNr() > 0) {
            // The token location is where the offending key or value starts; the exception's own
            // location is wherever the parser stopped (for YAML, often the next line).
            loc = p.currentTokenLocation();
        }
        int line = loc == null ? 0 : loc.getLineNr();
        int col = loc == null ? 0 : loc.getColumnNr();
        String key = null;
        if (e instanceof JsonMappingException jme) {
            key = path(jme);
        }
        String problem;
        if (e instanceof UnrecognizedPropertyException upe) {
            problem = "unknown key '" + upe.getPropertyName() + "'";
        } else if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            problem = vie.getCause().getMessage();
        } else if (e instanceof InvalidFormatException ife) {
            problem = "invalid value '" + ife.getValue() + "', expected " + typeName(ife.getTargetType());
        } else if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            problem = "wrong type, expected " + typeName(mie.getTargetType());
        } else if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
            problem = "duplicate key " + e.getOriginalMessage().substring("Duplicate field ".length());
        } else {
            problem = e.getOriginalMessage();
        }
        return new ConfigException(file, line, col, key, problem);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String typeName(Class<?> t) {
        if (t == String.class) {
            return "a string";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "an integer";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(t)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(t)) {
            return "an object of keys";
        }
        if (t == GoDuration.class) {
            return "a duration such as \"30s\"";
        }
        return t.getSimpleName();
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> t.toString();
        };
    }
}

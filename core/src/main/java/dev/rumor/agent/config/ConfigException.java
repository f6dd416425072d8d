package dev.rumor.agent.config;

/**
 * A config file that cannot be used, located as precisely as the parser allows. The message reads
 * {@code file:line:column: what is wrong (at key.path)} so an operator can go straight to it.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String key;

    public ConfigException(String file, int line, int column, String key, String problem) {
        super(format(file, line, column, key, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.key = key;
    }

    private static String format(String file, int line, int column, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
                if (column > 0) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
        }
        sb.append(problem);
        if (key != null && !key.isEmpty()) {
            sb.append(" (at ").append(key).append(')');
        }
        return sb.toString();
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The key path, e.g. {@code handlers[1].timeout}; null when the problem is not about one key. */
    public String key() {
        return key;
    }
}

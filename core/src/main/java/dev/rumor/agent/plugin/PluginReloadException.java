package dev.rumor.agent.plugin;

import java.util.List;

/**
 * A reload was refused; the previous plugins and handler instances keep running unchanged.
 * Each problem names the instance (or jar) and, where the plugin said so, the settings key, e.g.
 * {@code handler 'deploy-hook' (shell-exec): script is required}.
 */
public final class PluginReloadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PluginReloadException(List<String> problems, Throwable cause) {
        super("plugin reload failed, keeping the previous handlers: " + String.join("; ", problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, without the common prefix. */
    public List<String> problems() {
        return problems;
    }
}

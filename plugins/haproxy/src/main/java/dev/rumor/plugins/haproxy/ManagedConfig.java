package dev.rumor.plugins.haproxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text operations on an HAProxy config: the servers of each managed backend live between
 * <pre>
 *     # BEGIN rumor-managed backend NAME
 *     server web-1 10.0.0.5:8080 check
 *     # END rumor-managed
 * </pre>
 * and everything outside those markers belongs to the operator and is kept byte for byte. A backend
 * section without markers gets a block appended at the end of the section. Pure functions; no I/O.
 */
final class ManagedConfig {
    static final String BEGIN = "# BEGIN rumor-managed backend ";
    static final String END = "# END rumor-managed";
    private static final Set<String> SECTIONS = Set.of("global", "defaults", "frontend", "backend", "listen",
            "userlist", "peers", "resolvers", "mailers", "program", "http-errors", "ring", "cache");
    private static final Pattern PLACEHOLDER = Pattern.compile("^(\\s*)\\{\\{\\s*servers\\s+(\\S+)\\s*}}\\s*$");

    private ManagedConfig() {
    }

    /** The config could not be edited (missing backend section, unbalanced markers). */
    static final class EditException extends Exception {
        private static final long serialVersionUID = 1L;

        EditException(String message) {
            super(message);
        }
    }

    /** Replaces (or creates) the managed block of each backend in {@code servers}. */
    static String apply(String text, Map<String, ? extends Map<String, ServerSpec>> servers) throws EditException {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        for (Map.Entry<String, ? extends Map<String, ServerSpec>> e : servers.entrySet()) {
            String backend = e.getKey();
            List<String> body = new ArrayList<>();
            int begin = indexOfTrimmed(lines, BEGIN + backend, 0);
            if (begin >= 0) {
                int end = indexOfTrimmed(lines, END, begin + 1);
                int nextBegin = indexOfPrefix(lines, BEGIN, begin + 1);
                if (end < 0 || nextBegin >= 0 && nextBegin < end) {
                    throw new EditException("managed block of backend " + backend + " has no '" + END + "' line");
                }
                String indent = indentOf(lines.get(begin));
                for (ServerSpec s : e.getValue().values()) {
                    body.add(indent + s.configLine());
                }
                lines.subList(begin + 1, end).clear();
                lines.addAll(begin + 1, body);
                continue;
            }
            int header = sectionHeader(lines, backend);
            if (header < 0) {
                throw new EditException("no 'backend " + backend + "' section (and no '" + BEGIN + backend
                        + "' block) in the config");
            }
            int insertAt = header + 1;
            for (int i = header + 1; i < lines.size() && !isSectionHeader(lines.get(i)); i++) {
                if (!lines.get(i).isBlank()) {
                    insertAt = i + 1;
                }
            }
            body.add("    " + BEGIN + backend);
            for (ServerSpec s : e.getValue().values()) {
                body.add("    " + s.configLine());
            }
            body.add("    " + END);
            lines.addAll(insertAt, body);
        }
        return String.join("\n", lines);
    }

    /**
     * Renders a template: each line {@code {{servers NAME}}} becomes NAME's managed block (indented like the
     * placeholder); backends without a placeholder are handled as by {@link #apply}.
     */
    static String renderTemplate(String template, Map<String, ? extends Map<String, ServerSpec>> servers)
            throws EditException {
        StringBuilder sb = new StringBuilder();
        String[] lines = template.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PLACEHOLDER.matcher(lines[i]);
            if (m.matches()) {
                sb.append(m.group(1)).append(BEGIN).append(m.group(2)).append('\n')
                        .append(m.group(1)).append(END);
            } else {
                sb.append(lines[i]);
            }
            if (i < lines.length - 1) {
                sb.append('\n');
            }
        }
        return apply(sb.toString(), servers);
    }

    /** Server lines inside each managed block: backend → server name → trimmed line. */
    static Map<String, Map<String, String>> managedServers(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.trim();
            if (line.startsWith(BEGIN)) {
                current = out.computeIfAbsent(line.substring(BEGIN.length()).trim(), k -> new LinkedHashMap<>());
            } else if (line.equals(END)) {
                current = null;
            } else if (current != null && line.startsWith("server ")) {
                String[] f = line.split("\\s+");
                if (f.length >= 2) {
                    current.put(f[1], line);
                }
            }
        }
        return out;
    }

    /** Servers the operator declared in {@code backend}'s section outside the managed block. */
    static Set<String> staticServers(String text, String backend) {
        Set<String> out = new LinkedHashSet<>();
        boolean inSection = false;
        boolean inBlock = false;
        for (String raw : text.split("\n", -1)) {
            String line = raw.trim();
            if (isSectionHeader(raw)) {
                String[] f = line.split("\\s+");
                inSection = f.length >= 2 && (f[0].equals("backend") || f[0].equals("listen"))
                        && f[1].equals(backend);
                continue;
            }
            if (line.startsWith(BEGIN)) {
                inBlock = true;
            } else if (line.equals(END)) {
                inBlock = false;
            } else if (inSection && !inBlock && line.startsWith("server ")) {
                String[] f = line.split("\\s+");
                if (f.length >= 2) {
                    out.add(f[1]);
                }
            }
        }
        return out;
    }

    private static boolean isSectionHeader(String raw) {
        String line = raw.trim();
        if (line.isEmpty() || line.startsWith("#")) {
            return false;
        }
        int sp = line.indexOf(' ');
        return SECTIONS.contains(sp < 0 ? line : line.substring(0, sp));
    }

    private static int sectionHeader(List<String> lines, String backend) {
        for (int i = 0; i < lines.size(); i++) {
            if (isSectionHeader(lines.get(i))) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length >= 2 && (f[0].equals("backend") || f[0].equals("listen")) && f[1].equals(backend)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int indexOfTrimmed(List<String> lines, String wanted, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfPrefix(List<String> lines, String prefix, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static String indentOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return line.substring(0, i);
    }
}

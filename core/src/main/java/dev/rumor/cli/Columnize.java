package dev.rumor.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns {@code |}-separated rows the way serf's CLI does (ryanuber/columnize SimpleFormat): cells
 * trimmed, every column but the last padded to its widest cell, joined by two spaces, the whole output
 * without its final newline.
 */
public final class Columnize {
    private Columnize() {
    }

    public static String format(List<String> lines) {
        List<String[]> rows = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split("\\|", -1);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].strip();
                int len = cells[i].codePointCount(0, cells[i].length());
                if (widths.size() <= i) {
                    widths.add(len);
                } else if (widths.get(i) < len) {
                    widths.set(i, len);
                }
            }
            rows.add(cells);
        }
        StringBuilder sb = new StringBuilder();
        for (String[] cells : rows) {
            for (int i = 0; i < cells.length; i++) {
                sb.append(cells[i]);
                if (i < cells.length - 1) {
                    sb.append(" ".repeat(widths.get(i) - cells[i].codePointCount(0, cells[i].length()))).append("  ");
                }
            }
            sb.append('\n');
        }
        if (sb.length() > 0) {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }
}

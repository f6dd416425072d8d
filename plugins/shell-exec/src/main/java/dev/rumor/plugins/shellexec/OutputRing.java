package dev.rumor.plugins.shellexec;

/**
 * Keeps the last {@code capacity} bytes written (serf's 8 KiB {@code circbuf}), so a chatty script cannot
 * grow the agent's memory. Thread-safe: the output reader thread writes while the handler thread reads.
 */
final class OutputRing {

    /** serf's {@code maxBufSize}. */
    static final int SERF_CAPACITY = 8 * 1024;

    private final byte[] buf;
    private long total;

    OutputRing(int capacity) {
        this.buf = new byte[capacity];
    }

    synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            buf[(int) (total % buf.length)] = b[off + i];
            total++;
        }
    }

    /** Bytes ever written, including the ones no longer kept. */
    synchronized long totalWritten() {
        return total;
    }

    synchronized boolean truncated() {
        return total > buf.length;
    }

    /** The kept bytes, oldest first. */
    synchronized byte[] bytes() {
        if (total <= buf.length) {
            byte[] out = new byte[(int) total];
            System.arraycopy(buf, 0, out, 0, out.length);
            return out;
        }
        int start = (int) (total % buf.length);
        byte[] out = new byte[buf.length];
        System.arraycopy(buf, start, out, 0, buf.length - start);
        System.arraycopy(buf, 0, out, buf.length - start, start);
        return out;
    }
}

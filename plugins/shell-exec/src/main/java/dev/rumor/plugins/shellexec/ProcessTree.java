package dev.rumor.plugins.shellexec;

import java.util.List;

/** Kills a script and everything it started, so a timed-out handler leaves nothing running. */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Sends SIGKILL to the process and its descendants. The descendants are listed first: once the shell is
     * dead, its children are re-parented and could no longer be found through it.
     */
    static void kill(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroyForcibly();
        for (ProcessHandle h : descendants) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
    }
}

package dev.rumor.cluster;

/**
 * Whether a received user event or query is new (deliver and re-broadcast) or must be dropped, and why.
 * The reasons are serf's: below the configured minimum time, older than the de-duplication window, or
 * already seen.
 */
public enum Admission {
    NEW, DUPLICATE, TOO_OLD, BEFORE_MIN_TIME;

    public boolean isNew() {
        return this == NEW;
    }
}

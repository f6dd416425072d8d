package dev.rumor.cluster;

import java.util.Arrays;

/** One node's answer to a query (serf {@code NodeResponse}). The payload may be null. */
public record NodeResponse(String from, byte[] payload) {
    @Override
    public boolean equals(Object o) {
        return o instanceof NodeResponse r && r.from.equals(from) && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return from.hashCode();
    }
}

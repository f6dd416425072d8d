package dev.rumor.cluster;

import java.util.Arrays;

/**
 * Recently seen queries, for de-duplication (serf's {@code queryBuffer}): a ring of
 * {@link UserEventBuffer#SIZE} slots indexed by {@code LTime mod SIZE}, each holding the query IDs
 * seen at that LTime. A query is identified by (LTime, ID); two originators may pick the same LTime.
 * Same acceptance rules as {@link UserEventBuffer}. Query IDs are not exchanged in push/pull.
 *
 * <p>Thread contract: not thread-safe; owned by the protocol thread.
 */
public final class QueryBuffer {
    private final long[] slotLTime;
    private final int[][] slotIds;
    private long minTime;

    public QueryBuffer() {
        this(UserEventBuffer.SIZE);
    }

    public QueryBuffer(int size) {
        slotLTime = new long[size];
        slotIds = new int[size][];
    }

    public long minTime() {
        return minTime;
    }

    /** Set from the snapshot's query clock + 1 on restart, so old queries are not answered again. */
    public void raiseMinTime(long t) {
        minTime = Math.max(minTime, t);
    }

    /**
     * @param id       the query ID as the signed view of the u32 wire value
     * @param clockNow the query clock after witnessing {@code ltime}
     */
    public Admission offer(long ltime, int id, long clockNow) {
        if (ltime < minTime) {
            return Admission.BEFORE_MIN_TIME;
        }
        long size = slotLTime.length;
        if (clockNow > size && ltime < clockNow - size) {
            return Admission.TOO_OLD;
        }
        int idx = (int) Long.remainderUnsigned(ltime, size);
        int[] ids = slotIds[idx];
        if (ids != null && slotLTime[idx] == ltime) {
            for (int seen : ids) {
                if (seen == id) {
                    return Admission.DUPLICATE;
                }
            }
            ids = Arrays.copyOf(ids, ids.length + 1);
        } else {
            ids = new int[1];
        }
        ids[ids.length - 1] = id;
        slotLTime[idx] = ltime;
        slotIds[idx] = ids;
        return Admission.NEW;
    }
}

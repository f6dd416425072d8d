package dev.rumor.rpc;

/**
 * The agent RPC (serf IPC protocol version 1) commands, defined once for the server and the client
 * (serf keeps two copies, client/const.go and agent/ipc.go). Whether a command carries a request body
 * and a response body is part of the framing: there are no length prefixes, so both sides must agree.
 */
public enum RpcCommand {
    HANDSHAKE("handshake", true, false),
    AUTH("auth", true, false),
    EVENT("event", true, false),
    FORCE_LEAVE("force-leave", true, false),
    JOIN("join", true, true),
    MEMBERS("members", false, true),
    MEMBERS_FILTERED("members-filtered", true, true),
    TAGS("tags", true, false),
    STREAM("stream", true, false),
    MONITOR("monitor", true, false),
    STOP("stop", true, false),
    LEAVE("leave", false, false),
    QUERY("query", true, false),
    RESPOND("respond", true, false),
    INSTALL_KEY("install-key", true, true),
    USE_KEY("use-key", true, true),
    REMOVE_KEY("remove-key", true, true),
    LIST_KEYS("list-keys", false, true),
    STATS("stats", false, true),
    GET_COORDINATE("get-coordinate", true, true);

    /** The only IPC version serf speaks (MinIPCVersion = MaxIPCVersion = 1). */
    public static final int IPC_VERSION = 1;

    // Error strings of serf's agent/ipc.go; clients match some of them literally.
    public static final String ERR_UNSUPPORTED_COMMAND = "Unsupported command";
    public static final String ERR_UNSUPPORTED_VERSION = "Unsupported IPC version";
    public static final String ERR_DUPLICATE_HANDSHAKE = "Handshake already performed";
    public static final String ERR_HANDSHAKE_REQUIRED = "Handshake required";
    public static final String ERR_MONITOR_EXISTS = "Monitor already exists";
    public static final String ERR_INVALID_FILTER = "Invalid event filter";
    public static final String ERR_STREAM_EXISTS = "Stream with given sequence exists";
    public static final String ERR_INVALID_QUERY_ID = "No pending queries matching ID";
    public static final String ERR_AUTH_REQUIRED = "Authentication required";
    public static final String ERR_INVALID_AUTH = "Invalid authentication token";

    private final String wireName;
    private final boolean requestBody;
    private final boolean responseBody;

    RpcCommand(String wireName, boolean requestBody, boolean responseBody) {
        this.wireName = wireName;
        this.requestBody = requestBody;
        this.responseBody = responseBody;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether a request header is followed by a body. */
    public boolean hasRequestBody() {
        return requestBody;
    }

    /** Whether the (first) response header is followed by a body, even when it carries an error. */
    public boolean hasResponseBody() {
        return responseBody;
    }

    /** @return the command for a wire name, or null when unsupported */
    public static RpcCommand of(String wireName) {
        for (RpcCommand c : values()) {
            if (c.wireName.equals(wireName)) {
                return c;
            }
        }
        return null;
    }
}

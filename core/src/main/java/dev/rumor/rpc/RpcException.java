package dev.rumor.rpc;

/** The agent answered a request with an error string (serf's wording, shown to users as is). */
public class RpcException extends Exception {
    private static final long serialVersionUID = 1L;

    public RpcException(String message) {
        super(message);
    }
}

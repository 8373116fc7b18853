package dev.parx.hazelcast.internal;

/**
 * The fields of the JSON objects that travel between a member and a submitter. An event, on the
 * pool's topic: {@code {"key", "seq", "kind", ...}}; a result, returned by {@link MemberTask}:
 * {@code {"events", "output"}} or {@code {"events", "failure"}}, where {@code events} counts the
 * events the execution published, so that the submitter delivers all of them before the result.
 */
final class Events {

    static final String KEY = "key";
    static final String SEQ = "seq";
    static final String KIND = "kind";
    static final String FRACTION = "fraction";
    static final String TEXT = "text";
    static final String VALUE = "value";

    /** Kinds of event. */
    static final String PROGRESS = "progress";
    static final String MESSAGE = "message";
    /** The task waits for messages: the submitter starts forwarding them. */
    static final String RECEIVING = "receiving";

    static final String EVENTS = "events";
    static final String OUTPUT = "output";
    static final String FAILURE = "failure";

    private Events() {
    }
}

package dev.parx.hazelcast.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.parx.Task;
import dev.parx.engine.TaskClasses;
import dev.parx.json.TaskCodec;
import java.io.IOException;
import java.util.concurrent.Callable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One execution as it travels to a member: the task's class name and its input as JSON, never a
 * Java-serialized user object. On the member, {@link #call()} loads the class through
 * {@link TaskCodec#taskClass} (only a {@link Task} that passes the engine's checks is ever
 * initialized), decodes the input to the task's own input type, runs it, and returns the output or
 * the failure as JSON, with the number of events it published.
 *
 * <p>A member decodes with the {@link TaskCodec} found in its user context under
 * {@link #CODEC_KEY}, or the standard one.
 */
public final class MemberTask implements Callable<byte[]>, DataSerializable, HazelcastInstanceAware {

    /** Where a member's user context may hold the {@link TaskCodec} its tasks decode with. */
    public static final String CODEC_KEY = TaskCodec.class.getName();

    private String poolId;
    private String key;
    private String taskId;
    private String workerId;
    private String taskClass;
    private byte[] input;
    private transient HazelcastInstance member;

    /** For Hazelcast, which instantiates it on the member before reading its fields. */
    public MemberTask() {
    }

    /**
     * Creates the execution to send.
     *
     * @param poolId the submitting pool's id
     * @param key the execution's key, unique in the pool
     * @param taskId the task's id
     * @param workerId the id of the worker (slot) that sends it
     * @param taskClass the task's class name
     * @param input the input as JSON
     */
    public MemberTask(String poolId, String key, String taskId, String workerId, String taskClass, byte[] input) {
        this.poolId = poolId;
        this.key = key;
        this.taskId = taskId;
        this.workerId = workerId;
        this.taskClass = taskClass;
        this.input = input;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.member = instance;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public byte[] call() {
        TaskCodec codec = member.getUserContext().get(CODEC_KEY) instanceof TaskCodec own ? own : TaskCodec.standard();
        MemberContext context = new MemberContext(member, codec, poolId, key, taskId, workerId);
        ObjectNode result = codec.mapper().createObjectNode();
        try {
            Class<?> type = codec.taskClass(taskClass, classLoader());
            Object value = codec.decode(input, codec.inputType(type));
            input = null;
            Task task = TaskClasses.instantiate((Class) type);
            if (task instanceof HazelcastInstanceAware aware) {
                aware.setHazelcastInstance(member);
            }
            result.set(Events.OUTPUT, codec.toTree(task.run(value, context)));
        } catch (Throwable failure) {
            result.set(Events.FAILURE, codec.encodeFailure(failure));
        } finally {
            context.end();
        }
        result.put(Events.EVENTS, context.published());
        return codec.encode(result);
    }

    private ClassLoader classLoader() {
        ClassLoader configured = member.getConfig().getClassLoader();
        if (configured != null) {
            return configured;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : MemberTask.class.getClassLoader();
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(poolId);
        out.writeString(key);
        out.writeString(taskId);
        out.writeString(workerId);
        out.writeString(taskClass);
        out.writeByteArray(input);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        poolId = in.readString();
        key = in.readString();
        taskId = in.readString();
        workerId = in.readString();
        taskClass = in.readString();
        input = in.readByteArray();
    }

    @Override
    public String toString() {
        return "MemberTask[" + taskId + " " + taskClass + "]";
    }
}

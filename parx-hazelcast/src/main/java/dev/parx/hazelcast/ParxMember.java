package dev.parx.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.File;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Hazelcast member that runs the tasks of {@link HazelcastPool}s, for dedicated worker
 * machines. Run it with the application's class path, which must hold the task classes,
 * parx-hazelcast, parx-json and their dependencies, and with the flags that Hazelcast needs on
 * Java 25 (see {@link HazelcastPool}):
 *
 * <pre>{@code
 * java --sun-misc-unsafe-memory-access=allow --add-modules java.se ... -cp 'app/lib/*' \
 *     dev.parx.hazelcast.ParxMember --cluster-name primes --member 10.0.0.1 --member 10.0.0.2 --member 10.0.0.3
 * }</pre>
 *
 * <p>Options, each of which overrides what a {@code --config} file says:
 * <ul>
 *   <li>{@code --config FILE}: a Hazelcast XML or YAML configuration;</li>
 *   <li>{@code --cluster-name NAME}: the cluster to join;</li>
 *   <li>{@code --port N}: the port to listen on, exactly (no auto-increment);</li>
 *   <li>{@code --member HOST[:PORT]}, repeatable: join these members over TCP/IP, with multicast
 *       and auto-detection off;</li>
 *   <li>{@code --interface IP}: the only interface to bind to and announce;</li>
 *   <li>{@code --executor NAME} and {@code --executor-threads N}: the threads per member of the
 *       executor that runs the tasks ({@code parx} by default, as in {@link HazelcastPool}).</li>
 * </ul>
 * Without a {@code --config}, Hazelcast's own default configuration applies (multicast joining,
 * cluster {@code dev}). The member runs until it is shut down; Hazelcast's shutdown hook leaves
 * the cluster gracefully on SIGTERM.
 */
public final class ParxMember {

    private static final Logger LOG = LoggerFactory.getLogger(ParxMember.class);

    private ParxMember() {
    }

    /**
     * Starts the member and returns; the member's threads keep the JVM running.
     *
     * @param args the options
     * @throws Exception if the configuration cannot be read or the member cannot start
     */
    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println(usage());
            return;
        }
        try {
            start(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            System.exit(2);
        }
    }

    /**
     * Starts a member in this JVM, configured as {@link ParxMember} describes.
     *
     * @param args the options
     * @return the started member
     * @throws IllegalArgumentException if an option is unknown or its value is wrong
     * @throws FileNotFoundException if the configuration file does not exist
     */
    public static HazelcastInstance start(String... args) throws FileNotFoundException {
        Config config = config(args);
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        LOG.info("parx member {} joined cluster '{}' of {} members", member.getCluster().getLocalMember().getAddress(),
                config.getClusterName(), member.getCluster().getMembers().size());
        return member;
    }

    /**
     * Builds the member's configuration from the options.
     *
     * @param args the options
     * @return the configuration
     * @throws IllegalArgumentException if an option is unknown or its value is wrong
     * @throws FileNotFoundException if the configuration file does not exist
     */
    static Config config(String... args) throws FileNotFoundException {
        Config config = null;
        String clusterName = null;
        Integer port = null;
        String iface = null;
        String executor = "parx";
        Integer threads = null;
        List<String> members = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            i++;
            switch (option) {
                case "--config" -> config = Config.loadFromFile(new File(value));
                case "--cluster-name" -> clusterName = value;
                case "--port" -> port = number(option, value, 1, 65535);
                case "--member" -> members.add(value);
                case "--interface" -> iface = value;
                case "--executor" -> executor = value;
                case "--executor-threads" -> threads = number(option, value, 1, 10_000);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (config == null) {
            config = new Config();
        }
        if (clusterName != null) {
            config.setClusterName(clusterName);
        }
        NetworkConfig network = config.getNetworkConfig();
        if (port != null) {
            network.setPort(port).setPortAutoIncrement(false);
        }
        if (iface != null) {
            network.getInterfaces().setEnabled(true).addInterface(iface);
        }
        if (!members.isEmpty()) {
            JoinConfig join = network.getJoin();
            join.getMulticastConfig().setEnabled(false);
            join.getAutoDetectionConfig().setEnabled(false);
            join.getTcpIpConfig().setEnabled(true).setMembers(members);
        }
        if (threads != null) {
            config.getExecutorConfig(executor).setPoolSize(threads);
        }
        return config;
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + option + " needs a number from " + min + " to " + max
                + ", not '" + value + "'");
    }

    private static String usage() {
        return """
                usage: java [JVM flags] -cp <application class path> dev.parx.hazelcast.ParxMember [options]
                  --config FILE            a Hazelcast XML or YAML configuration (the options below override it)
                  --cluster-name NAME      the cluster to join
                  --port N                 the port to listen on, exactly
                  --member HOST[:PORT]     a member to join over TCP/IP (repeatable; turns multicast off)
                  --interface IP           the only interface to bind to
                  --executor NAME          the executor that runs the tasks (default: parx)
                  --executor-threads N     its threads on this member""";
    }
}

// A Neo4j 5 Community server for govgraph's tests: embedded, with a Bolt connector on loopback.
//
//   java -cp <the jars> TestServer.java [--port N] [--password PW] [--data DIR]
//
// Prints one line, bolt://127.0.0.1:N, once it accepts connections; stops cleanly on SIGTERM.
// Without --data it works in a throwaway directory, removed when it stops; without --port it
// takes a free port. The user is `neo4j`, with the password given (default govgraph-test).

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

public class TestServer {
    public static void main(String[] args) throws Exception {
        int port = 0;
        String password = "govgraph-test";
        Path data = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> { port = Integer.parseInt(need(args[i], value)); i++; }
                case "--password" -> { password = need(args[i], value); i++; }
                case "--data" -> { data = Path.of(need(args[i], value)); i++; }
                default -> fail("unknown argument " + args[i]
                        + " (expected --port N, --password PW, --data DIR)");
            }
        }
        if (password.length() < 8) {
            fail("--password: Neo4j wants at least 8 characters");
        }
        boolean throwaway = data == null;
        Path home = throwaway ? Files.createTempDirectory("govgraph-neo4j-") : data;
        if (port == 0) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(512))
                .build();
        dbms.database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            if (throwaway) {
                remove(home);
            }
            stopped.countDown();
        }));
        System.out.println("bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static String need(String flag, String value) {
        if (value == null) {
            fail(flag + " needs a value");
        }
        return value;
    }

    private static void fail(String message) {
        System.err.println("neo4j-test-server: " + message);
        System.exit(2);
    }

    private static void remove(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}

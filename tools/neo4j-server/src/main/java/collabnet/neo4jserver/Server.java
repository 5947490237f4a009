package collabnet.neo4jserver;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.server.configuration.ServerSettings;
import org.neo4j.server.configuration.ThirdPartyJaxRsPackage;

/**
 * Neo4j 5.26 Community, embedded, with Bolt on 127.0.0.1 and authentication on.
 * APOC and GDS come from the plugin directory (and the class path), as in a
 * packaged server. All settings come from environment variables; see README.md.
 */
public final class Server {

    public static void main(String[] args) {
        try {
            start();
        } catch (Exception e) {
            // Exit rather than linger half-started: Neo4j's threads would keep the JVM up.
            e.printStackTrace(System.out);
            System.out.println("collabnet-neo4j: failed to start: " + e);
            System.exit(1);
        }
    }

    private static void start() throws Exception {
        String host = env("NEO4J_BOLT_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("NEO4J_BOLT_PORT", "7687"));
        int httpPort = Integer.parseInt(env("NEO4J_HTTP_PORT", "7474"));
        String password = env("NEO4J_PASSWORD", "collabnet-dev");
        Path home = Path.of(env("NEO4J_DATA_DIR", "target/db")).toAbsolutePath();
        Path plugins = Path.of(env("NEO4J_PLUGIN_DIR", "target/plugins")).toAbsolutePath();
        Path importDir = Path.of(env("NEO4J_IMPORT_DIR", home.resolve("import").toString())).toAbsolutePath();
        Files.createDirectories(importDir);

        // APOC reads its settings from system properties too (or <conf>/apoc.conf).
        // With use_neo4j_config=true, file paths and file:/// URLs resolve inside importDir.
        System.setProperty("apoc.import.file.enabled", env("APOC_IMPORT_FILE_ENABLED", "true"));
        System.setProperty("apoc.export.file.enabled", env("APOC_EXPORT_FILE_ENABLED", "true"));
        System.setProperty("apoc.import.file.use_neo4j_config", env("APOC_IMPORT_FILE_USE_NEO4J_CONFIG", "true"));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                // What Browser's connection form offers (discovery at http://host:httpPort/).
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // HTTP: Neo4j Browser (from the neo4j-browser jar on the class path) at
                // /browser/, and collabnet's style sheet at /collabnet/style.grass.
                .setConfig(HttpConnector.enabled, httpPort > 0)
                .setConfig(HttpConnector.listen_address, new SocketAddress(host, Math.max(httpPort, 0)))
                .setConfig(HttpConnector.advertised_address, new SocketAddress(host, Math.max(httpPort, 0)))
                .setConfig(ServerSettings.third_party_packages,
                        List.of(new ThirdPartyJaxRsPackage("collabnet.neo4jserver.web", "/collabnet")))
                .setConfig(ServerSettings.http_auth_allowlist, List.of("/", "/browser.*", "/collabnet/.*"))
                .setConfig(ServerSettings.browser_post_connect_cmd,
                        "style http://" + host + ":" + httpPort + "/collabnet/style.grass")
                .setConfig(ServerSettings.browser_remote_content_hostname_whitelist, host + ",localhost")
                .setConfig(ServerSettings.allow_telemetry, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(env("NEO4J_PAGECACHE", "64m")))
                .setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*", "gds.*"))
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("collabnet-neo4j: shutting down");
            dbms.shutdown();
            System.out.println("collabnet-neo4j: stopped");
        }, "neo4j-shutdown"));

        setPassword(dbms, password);
        System.out.printf("collabnet-neo4j: ready bolt://%s:%d http://%s:%d in %.1fs data=%s import=%s%n", host, port, host, httpPort,
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, home, importDir);
    }

    /** The embedded API runs as an admin, so it can set neo4j's password on every start. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one it already has: that is fine.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

package collabnet.neo4jserver;

import java.util.stream.Collectors;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;

/**
 * A tiny Bolt client: runs each argument as a Cypher statement (default {@code RETURN 1})
 * against NEO4J_URI as NEO4J_USER / NEO4J_PASSWORD and prints each record as
 * tab-separated values. Exits 1 on any failure, which makes it a readiness check.
 */
public final class Cypher {

    public static void main(String[] args) {
        String uri = env("NEO4J_URI", "bolt://127.0.0.1:" + env("NEO4J_BOLT_PORT", "7687"));
        String user = env("NEO4J_USER", "neo4j");
        String password = env("NEO4J_PASSWORD", "collabnet-dev");
        String[] statements = args.length == 0 ? new String[] {"RETURN 1"} : args;
        Config config = Config.builder().withLogging(Logging.none()).build();
        try (Driver driver = GraphDatabase.driver(uri, AuthTokens.basic(user, password), config);
                Session session = driver.session()) {
            for (String statement : statements) {
                session.run(statement).forEachRemaining(record -> System.out.println(
                        record.values().stream().map(Cypher::show).collect(Collectors.joining("\t"))));
            }
        } catch (RuntimeException e) {
            System.err.println("cypher: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** Strings print bare; everything else in the driver's Cypher-like notation. */
    private static String show(Value value) {
        return "STRING".equals(value.type().name()) ? value.asString() : value.toString();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

package collabnet.neo4jserver.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.ws.rs.GET;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Response;

/**
 * Serves collabnet's Neo4j Browser style sheet (GRASS) at /collabnet/style.grass,
 * an unmanaged extension of the server's HTTP connector. Browser loads it after
 * connecting (browser.post_connect_cmd = ":style http://host:port/collabnet/style.grass").
 * Same origin as Browser, so no CORS header is needed. The file is read at each
 * request from NEO4J_BROWSER_STYLE, so an edited style needs no restart.
 */
@javax.ws.rs.Path("/style.grass")
public class StyleResource {

    @GET
    @Produces("text/plain; charset=utf-8")
    public Response style() {
        String file = System.getenv("NEO4J_BROWSER_STYLE");
        if (file == null || file.isBlank()) {
            return Response.status(Response.Status.NOT_FOUND).entity("NEO4J_BROWSER_STYLE is not set\n").build();
        }
        try {
            return Response.ok(Files.readString(Path.of(file), StandardCharsets.UTF_8)).build();
        } catch (IOException e) {
            return Response.status(Response.Status.NOT_FOUND).entity("cannot read " + file + ": " + e + "\n").build();
        }
    }
}

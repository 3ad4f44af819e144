package io.pistream.janus.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The test's own plain client of Janus's HTTP API: a session with a handle on the streaming plugin. */
public final class JanusHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;
    final long session;
    final long handle;

    public JanusHttp(URI url) throws IOException, InterruptedException {
        this.url = url;
        this.session = post(url.toString(), request("create")).path("data").path("id").asLong();
        ObjectNode attach = request("attach");
        attach.put("plugin", "janus.plugin.streaming");
        this.handle = post(url + "/" + session, attach).path("data").path("id").asLong();
    }

    static ObjectNode request(String verb) {
        ObjectNode request = JSON.createObjectNode();
        request.put("janus", verb);
        request.put("transaction", UUID.randomUUID().toString());
        return request;
    }

    JsonNode post(String target, ObjectNode request) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(target))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        request))).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("HTTP " + answer.statusCode() + " from " + target + ": " + answer.body());
        }
        JsonNode json = JSON.readTree(answer.body());
        if ("error".equals(json.path("janus").asText())) {
            throw new IOException("Janus error: " + json);
        }
        return json;
    }

    /** Sends a message to the streaming plugin and returns Janus's whole answer. */
    JsonNode message(ObjectNode body, JsonNode jsep) throws IOException, InterruptedException {
        ObjectNode request = request("message");
        request.set("body", body);
        if (jsep != null) {
            request.set("jsep", jsep);
        }
        return post(url + "/" + session + "/" + handle, request);
    }

    void trickle(ObjectNode candidate) throws IOException, InterruptedException {
        ObjectNode request = request("trickle");
        request.set("candidate", candidate);
        post(url + "/" + session + "/" + handle, request);
    }

    /** One long poll for events of the session (Janus holds it up to 30 s). */
    JsonNode poll() throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/" + session + "?maxev=5"))
                .timeout(Duration.ofSeconds(40)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }

    /** The ids of the streaming plugin's mountpoints, as its {@code list} request gives them. */
    public List<Long> mountpoints() throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("request", "list");
        List<Long> ids = new ArrayList<>();
        for (JsonNode mountpoint : message(body, null).path("plugindata").path("data").path("list")) {
            ids.add(mountpoint.path("id").asLong());
        }
        return ids;
    }

    /** The mountpoint's description as Janus lists it, or null. */
    public String description(long id) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("request", "list");
        for (JsonNode mountpoint : message(body, null).path("plugindata").path("data").path("list")) {
            if (mountpoint.path("id").asLong() == id) {
                return mountpoint.path("description").asText();
            }
        }
        return null;
    }

    /** Creates a mountpoint as another publisher would, to take an id. */
    public void createMountpoint(long id, String adminKey) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("request", "create");
        body.put("type", "rtp");
        body.put("id", id);
        body.put("description", "someone else's");
        body.put("admin_key", adminKey);
        ObjectNode video = body.putArray("media").addObject();
        video.put("type", "video");
        video.put("mid", "v");
        video.put("port", 0);
        video.put("pt", 96);
        video.put("codec", "h264");
        JsonNode answer = message(body, null).path("plugindata").path("data");
        if (!"created".equals(answer.path("streaming").asText())) {
            throw new IOException("not created: " + answer);
        }
    }

    public void destroyMountpoint(long id) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("request", "destroy");
        body.put("id", id);
        message(body, null);
    }

    public void destroy() {
        try {
            post(url + "/" + session, request("destroy"));
        } catch (IOException | InterruptedException e) {
            // Janus may be gone already
        }
    }
}

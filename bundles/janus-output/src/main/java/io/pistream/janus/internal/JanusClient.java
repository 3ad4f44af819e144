package io.pistream.janus.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The few requests of Janus's HTTP API (the "REST" transport) that a publisher needs: sessions, a handle on a
 * plugin, synchronous plugin messages. Every call has a time limit; failures become {@link JanusException}s that
 * say whether Janus answered at all.
 */
final class JanusClient {

    /** Janus answers are small; a bigger one is not Janus. */
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final URI url;
    private final String apiSecret;
    private final Duration timeout;
    private final HttpClient http;

    JanusClient(URI url, String apiSecret, Duration timeout) {
        this.url = url;
        this.apiSecret = apiSecret;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Creates a Janus session; returns its id. */
    long createSession() throws JanusException {
        JsonNode answer = post(url, request("create"));
        return id(answer.path("data"), "session");
    }

    /** Attaches a handle on {@code plugin} to the session; returns its id. */
    long attach(long session, String plugin) throws JanusException {
        ObjectNode request = request("attach");
        request.put("plugin", plugin);
        return id(post(sessionUri(session), request).path("data"), "handle");
    }

    /**
     * Sends a plugin message that the plugin answers at once (create, destroy, info, list of the streaming plugin)
     * and returns the plugin's data; an {@code error_code} in it becomes a {@link JanusException}.
     */
    JsonNode message(long session, long handle, ObjectNode body) throws JanusException {
        ObjectNode request = request("message");
        request.set("body", body);
        JsonNode answer = post(handleUri(session, handle), request);
        JsonNode data = answer.path("plugindata").path("data");
        if (data.isMissingNode()) {
            throw new JanusException(0, "Janus answered '" + answer.path("janus").asText()
                    + "' without the plugin's data to request " + body.path("request").asText(), true);
        }
        if (data.has("error_code") || data.has("error")) {
            throw new JanusException(data.path("error_code").asInt(), data.path("error").asText("error")
                    + " (" + data.path("error_code").asInt() + ")", true);
        }
        return data;
    }

    void detach(long session, long handle) throws JanusException {
        post(handleUri(session, handle), request("detach"));
    }

    void destroySession(long session) throws JanusException {
        post(sessionUri(session), request("destroy"));
    }

    ObjectNode body(String request) {
        ObjectNode body = json.createObjectNode();
        body.put("request", request);
        return body;
    }

    private ObjectNode request(String verb) {
        ObjectNode request = json.createObjectNode();
        request.put("janus", verb);
        byte[] transaction = new byte[9];
        random.nextBytes(transaction);
        request.put("transaction", HexFormat.of().formatHex(transaction));
        if (!apiSecret.isEmpty()) {
            request.put("apisecret", apiSecret);
        }
        return request;
    }

    private URI sessionUri(long session) {
        return URI.create(base() + "/" + session);
    }

    private URI handleUri(long session, long handle) {
        return URI.create(base() + "/" + session + "/" + handle);
    }

    private String base() {
        String text = url.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private JsonNode post(URI target, ObjectNode request) throws JanusException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(target).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(request))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw JanusException.unreachable("no answer from Janus at " + url + " within " + timeout.toSeconds()
                    + " s");
        } catch (ConnectException e) {
            throw JanusException.unreachable("cannot connect to Janus at " + url + ": "
                    + (e.getMessage() == null ? "connection refused" : e.getMessage()));
        } catch (IOException e) {
            throw JanusException.unreachable("cannot reach Janus at " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JanusException.unreachable("interrupted");
        }
        if (response.body().length > MAX_ANSWER_BYTES) {
            throw new JanusException(0, "Janus at " + url + " answered with more than 1 MB", true);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (response.statusCode() != 200 || answer == null || !answer.isObject()) {
            throw new JanusException(0, "HTTP " + response.statusCode() + " from " + target
                    + " (is it Janus's HTTP API? check url)", true);
        }
        if ("error".equals(answer.path("janus").asText())) {
            JsonNode error = answer.path("error");
            throw new JanusException(error.path("code").asInt(), error.path("reason").asText("error") + " ("
                    + error.path("code").asInt() + ")", true);
        }
        return answer;
    }

    private static long id(JsonNode data, String what) throws JanusException {
        if (!data.path("id").canConvertToLong()) {
            throw new JanusException(0, "Janus's answer has no " + what + " id", true);
        }
        return data.path("id").asLong();
    }
}

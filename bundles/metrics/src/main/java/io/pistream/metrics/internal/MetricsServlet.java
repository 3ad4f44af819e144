package io.pistream.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.webauth.WebDoor;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in Prometheus' text format, collected when scraped. It sits in the default context, behind
 * the device's HTTP door, and answers viewers and administrators (Prometheus with a bearer token).
 */
@Component(service = Servlet.class)
// named: Pax Web refuses a second unnamed servlet in the same context (both would be "javax.servlet.Servlet")
@HttpWhiteboardServletName("pistream-metrics")
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);

    private final transient List<MetricsCollector> collectors = new CopyOnWriteArrayList<>();
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final transient WebDoor door;

    @Activate
    public MetricsServlet(@Reference WebDoor door) {
        this.door = door;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCollector(MetricsCollector collector) {
        collectors.add(collector);
    }

    void removeCollector(MetricsCollector collector) {
        collectors.remove(collector);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller who = door.callerOf(request).orElse(null);
        if (who == null) {
            refuse(response, 401, "Not logged in");
            return;
        }
        if (!who.may(Role.VIEWER) && !who.may(Role.ADMIN)) {
            refuse(response, 403, "Metrics are for viewers and administrators");
            return;
        }
        byte[] body = render(collectors);
        response.setStatus(200);
        response.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Every collector's metrics; one that fails is left out (and logged) rather than failing the scrape. */
    byte[] render(List<MetricsCollector> from) throws IOException {
        MetricSnapshots.Builder snapshots = MetricSnapshots.builder();
        for (MetricsCollector collector : from) {
            try {
                for (MetricSnapshot snapshot : collector.collect()) {
                    snapshots.metricSnapshot(snapshot);
                }
            } catch (RuntimeException e) {
                LOG.warn("Metrics of {} left out of this scrape: {}", collector.getClass().getSimpleName(),
                        e.toString());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, snapshots.build(), EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toByteArray();
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        byte[] body = ("{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

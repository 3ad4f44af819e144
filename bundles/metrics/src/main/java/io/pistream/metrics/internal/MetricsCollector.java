package io.pistream.metrics.internal;

import java.util.List;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * One part of {@code /metrics}, read from a service at scrape time. Each is a component of its own that exists
 * only while the service it reads does, so {@code /metrics} shows whatever features are installed.
 */
public interface MetricsCollector {

    List<MetricSnapshot> collect();
}

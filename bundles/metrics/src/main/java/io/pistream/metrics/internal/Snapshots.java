package io.pistream.metrics.internal;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/** Shorthands for building the client's snapshots: metrics are collected from status records at scrape time. */
final class Snapshots {

    private Snapshots() {
    }

    static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    static CounterSnapshot.Builder counter(String name, String help) {
        return CounterSnapshot.builder().name(name).help(help);
    }

    static InfoSnapshot.Builder info(String name, String help) {
        return InfoSnapshot.builder().name(name).help(help);
    }

    static GaugeSnapshot.GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    static CounterSnapshot.CounterDataPointSnapshot count(double value, String... labels) {
        return CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    static InfoSnapshot.InfoDataPointSnapshot labels(String... labels) {
        return InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of(labels)).build();
    }

    static double bool(boolean value) {
        return value ? 1 : 0;
    }

    static String text(String value) {
        return value == null ? "" : value;
    }
}

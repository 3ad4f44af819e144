package io.pistream.janus.internal;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import io.pistream.janus.JanusMountpoint;
import io.pistream.janus.JanusStatus;

import org.osgi.service.component.annotations.Component;

/** Where the Janus outputs (one component per configuration) report, for the shell and other bundles. */
@Component(service = {JanusStatus.class, JanusBook.class})
public final class JanusBook implements JanusStatus {

    private final ConcurrentMap<Object, Supplier<JanusMountpoint>> outputs = new ConcurrentHashMap<>();

    void add(Object output, Supplier<JanusMountpoint> status) {
        outputs.put(output, status);
    }

    void remove(Object output) {
        outputs.remove(output);
    }

    @Override
    public List<JanusMountpoint> mountpoints() {
        return outputs.values().stream().map(Supplier::get)
                .sorted(Comparator.comparing(JanusMountpoint::name)).toList();
    }
}

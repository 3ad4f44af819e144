package io.pistream.restapi.internal;

import java.util.List;

import io.pistream.webrtc.WebRtcReceiver;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code /talkback/sessions}: what browsers send to the device (its speaker, a recording, a composite). */
@Component(service = Area.class, property = "area=talkback")
public final class TalkbackArea implements Area {

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<WebRtcReceiver> receivers;

    private final WebRtcSessions sessions = new WebRtcSessions(() -> receivers);

    @Override
    public Object resource() {
        return sessions;
    }
}

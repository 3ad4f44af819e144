package io.pistream.restapi.internal;

import java.util.List;

import io.pistream.webrtc.WebRtcStatus;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code /webrtc/sessions}: the viewers the device's WebRTC producer sends to. */
@Component(service = Area.class, property = "area=webrtc")
public final class WebRtcArea implements Area {

    // the receiver registers WebRtcStatus too; its sessions are talk-back (TalkbackArea)
    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(!(objectClass=io.pistream.webrtc.WebRtcReceiver))")
    private volatile List<WebRtcStatus> producers;

    private final WebRtcSessions sessions = new WebRtcSessions(() -> producers);

    @Override
    public Object resource() {
        return sessions;
    }
}

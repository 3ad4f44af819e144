package io.pistream.webrtc.receiver.command;

import io.pistream.webrtc.WebRtcReceiver;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** Lists the producers the receiver knows, starts receiving one, or stops a receiver session. */
@Service
@Command(scope = "pistream", name = "receive",
        description = "Without argument lists the producers (browsers) registered with the signalling server; "
                + "with a producer id receives it")
public class ReceiveCommand implements Action {

    @Reference
    WebRtcReceiver receiver;

    @Argument(index = 0, name = "producer", description = "Id of the producer to receive", required = false)
    String producerId;

    @Option(name = "--stop", description = "Ends the receiver session of this id")
    String stopSession;

    @Override
    public Object execute() {
        try {
            if (stopSession != null) {
                System.out.println(receiver.stop(stopSession) ? "Session " + stopSession + " ended"
                        : "No receiver session " + stopSession);
            } else if (producerId != null) {
                System.out.println(receiver.receive(producerId));
            } else {
                ShellTable table = new ShellTable();
                table.column("Producer");
                table.column("Name");
                table.column("Receiving");
                table.column("Meta");
                for (WebRtcReceiver.RemoteProducer producer : receiver.producers()) {
                    table.addRow().addContent(producer.id(), producer.name(), producer.receiving() ? "yes" : "",
                            producer.meta());
                }
                table.print(System.out);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
        }
        return null;
    }
}

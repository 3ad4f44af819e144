package io.pistream.camera.command;

import io.pistream.gstreamer.DeviceScan;
import io.pistream.gstreamer.DeviceScan.DeviceInfo;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The cameras and microphones GStreamer finds, like {@code rpicam-vid --list-cameras}. */
@Service
@Command(scope = "pistream", name = "devices", description = "Lists cameras and microphones with their modes")
public class DevicesCommand implements Action {

    @Option(name = "-m", aliases = "--modes", description = "Show every mode (caps) of each device")
    boolean modes;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Kind");
        table.column("Name (use in configuration)");
        table.column("Element");
        table.column(modes ? "Modes" : "Modes (first; -m for all)");
        int found = add(table, "camera", DeviceScan.find(DeviceScan.VIDEO_SOURCE))
                + add(table, "microphone", DeviceScan.find(DeviceScan.AUDIO_SOURCE));
        if (found == 0) {
            System.out.println("No camera or microphone found; sources of type auto use the test pattern and tone.");
            return null;
        }
        table.print(System.out);
        return null;
    }

    private int add(ShellTable table, String kind, java.util.List<DeviceInfo> devices) {
        for (DeviceInfo device : devices) {
            String shown = device.modes().isEmpty() ? "" : modes ? String.join("\n", device.modes())
                    : device.modes().get(0) + (device.modes().size() > 1 ? " (+" + (device.modes().size() - 1) + ")" : "");
            table.addRow().addContent(kind, device.name(), device.element(), shown);
        }
        return devices.size();
    }
}

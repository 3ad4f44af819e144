package io.pistream.audio.command;

import java.util.List;

import io.pistream.audio.SpeechSource;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Speaks a text into a running text-to-speech source. */
@Service
@Command(scope = "pistream", name = "say", description = "Speaks a text into a running text-to-speech source")
public class SayCommand implements Action {

    @Reference(optional = true)
    List<SpeechSource> speakers;

    @Option(name = "-s", aliases = "--source", description = "Id of the text-to-speech source (needed if several)")
    String source;

    @Argument(index = 0, name = "text", description = "What to say", required = true, multiValued = true)
    List<String> words;

    @Override
    public Object execute() throws Exception {
        if (speakers == null || speakers.isEmpty()) {
            throw new IllegalStateException("No text-to-speech source is configured: add etc/io.pistream.audio-<id>.cfg "
                    + "with type=tts");
        }
        SpeechSource speaker;
        if (source != null) {
            speaker = speakers.stream().filter(s -> s.id().equals(source)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No text-to-speech source '" + source + "'; known: "
                            + speakers.stream().map(SpeechSource::id).toList()));
        } else if (speakers.size() == 1) {
            speaker = speakers.get(0);
        } else {
            throw new IllegalArgumentException("Several text-to-speech sources: choose one with --source "
                    + speakers.stream().map(SpeechSource::id).toList());
        }
        speaker.say(String.join(" ", words));
        return null;
    }
}

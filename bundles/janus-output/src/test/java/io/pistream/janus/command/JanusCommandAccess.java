package io.pistream.janus.command;

import java.io.PrintStream;
import java.util.List;

import io.pistream.janus.JanusMountpoint;

/** Lets tests of other packages print the shell command's table. */
public final class JanusCommandAccess {

    private JanusCommandAccess() {
    }

    public static void print(List<JanusMountpoint> mountpoints, PrintStream out) {
        JanusCommand.print(mountpoints, out);
    }
}

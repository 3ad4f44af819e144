#!/usr/bin/env bash
# RTSP benchmark: time to first frame, CPU and RSS with 1 and 10 clients, for this bundle's hub mount and launch
# mount and for a native gst-rtsp-server program (bench/test-launch.c) serving the same pipeline, in one run.
# Needs gcc and libgstrtspserver-1.0-dev (headers) besides the runtime packages.
# Usage: bundles/rtsp-server/bench/run.sh [warmupSeconds=15] [measureSeconds=20] [reportFile]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
gcc -O2 -Wall -o target/bench/test-launch bench/test-launch.c \
    $(pkg-config --cflags --libs gstreamer-rtsp-server-1.0 gstreamer-1.0)
mvn -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/bench/classpath.txt \
    -Dmdep.includeScope=test
exec java -Djna.nosys=true -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "target/classes:target/test-classes:$(cat target/bench/classpath.txt)" \
    io.pistream.rtsp.internal.RtspBenchmark target/bench/test-launch "${1:-15}" "${2:-20}" \
    "${3:-target/bench/report.md}"

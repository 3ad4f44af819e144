#!/usr/bin/env bash
# CPU and RSS of pistream's RTP push of 1280x720@30 against the seed's gst-launch-1.0 pipeline, in one run.
# Usage: benchmarks/run-rtp-push.sh [warmupSeconds] [measureSeconds] [reportFile]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp install -DskipTests -pl benchmarks -am
mvn -B -q -ntp -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Djna.nosys=true -Xmx256m -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    io.pistream.rtp.internal.RtpPushBenchmark "$@"

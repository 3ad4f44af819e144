#!/usr/bin/env bash
# CPU and RSS of the media hub with 1 and 10 subscribers of a 1280x720@30 H.264 stream, beside gst-launch-1.0,
# then with one subscriber on the top and one on each lower tier of the quality ladder (the cost of each tier).
# Usage: benchmarks/run-hub-fanout.sh [warmupSeconds] [measureSeconds] [reportFile]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp install -DskipTests -pl benchmarks -am
mvn -B -q -ntp -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Djna.nosys=true -Xmx256m -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
    io.pistream.benchmarks.HubFanoutBenchmark "$@"

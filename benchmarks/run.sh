#!/usr/bin/env bash
# The benchmark suite: boot, glass-to-glass latency (RTP, RTSP, WebRTC in Chromium), time to first frame, cost
# per viewer (1/5/10/20 RTSP, WebRTC and mixed viewers, 50 at once, and one encoder per viewer), the native floor
# (the seed's gst-launch-1.0 pipeline, a C gst-rtsp-server program), 1,000 viewers per protocol coming and going, an
# hour of soak, all in one run; writes results/<date>-suite.md and its plots. WHEP viewers beside the signalling
# ones, and latency and first frame through Janus beside the direct paths; two Chromium viewers, one of them on a
# link capped at 1 Mbit/s, then with 2 % loss (the network stage).
# About 2 h 30 on two cores (45 minutes without churn and soak). Run it on a quiet machine.
# Usage: benchmarks/run.sh [--short] [--out DIR] [--stages S,...] [--soak-minutes M] [--name NAME] [--note TEXT]
#   --stages picks parts (boot,latency,first-frame,whep,cost,janus,network,floor,idle,churn,soak,fuzz; all by
#   default), e.g. --stages whep,janus --name whep-janus writes results/<date>-whep-janus.md. ./pistream.sh deps
#   installs what it needs; the janus stage also needs Debian's janus package, the network stage tc and nft.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls assembly/target/pistream-*.tar.gz > /dev/null 2>&1 || [ ! -d web-app/node_modules ]; then
    mvn -B -q -ntp install -DskipTests
fi
mvn -B -q -ntp install -DskipTests -pl bundles/latency-probe,bundles/webrtc-core,bundles/whep,bundles/janus-output,benchmarks
mvn -B -q -ntp -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
# in a network namespace of its own, like its smoke test: fixed ports free whatever runs on the machine, and an
# address other than loopback where Janus meets its viewer
PISTREAM_TEST_JAVA="$(command -v java)" exec testing/network-namespace/bin/java -Djna.nosys=true -Xmx512m -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" io.pistream.benchmarks.Suite \
    --archive "$(ls assembly/target/pistream-*.tar.gz)" \
    --latency-bundle "$(ls bundles/latency-probe/target/io.pistream.latency-*.jar | grep -v -- -tests)" \
    --web-app web-app --native-source bundles/rtsp-server/bench/test-launch.c --out benchmarks/results "$@"

#!/usr/bin/env bash
# Time from `bin/karaf server` to the log line "GStreamer ... ready", on a freshly unpacked distribution.
# Usage: benchmarks/boot-time.sh [runs]   (build first: ./pistream.sh start, or mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
archive=$(ls assembly/target/pistream-*.tar.gz)
for run in $(seq 1 "$runs"); do
    work=$(mktemp -d)
    tar xzf "$archive" -C "$work"
    home=$(ls -d "$work"/pistream-*)
    start=$(date +%s%N)
    "$home/bin/karaf" server > "$work/console.log" 2>&1 &
    ready=""
    for _ in $(seq 1 600); do
        if grep -q "GStreamer .* ready" "$home/data/log/karaf.log" 2>/dev/null; then
            ready=$(date +%s%N)
            break
        fi
        sleep 0.05
    done
    "$home/bin/stop" > /dev/null 2>&1 || true
    wait || true
    if [ -z "$ready" ]; then
        echo "run $run: not ready within 30 s (see $work)"
        exit 1
    fi
    echo "run $run: GStreamer ready $(( (ready - start) / 1000000 )) ms after start"
    rm -rf "$work"
done

#!/usr/bin/env bash
#
# pistream developer entry point (Debian 12 / Raspberry Pi OS bookworm).
#
#   ./pistream.sh start   install what is missing, build, and run the platform in the foreground
#   ./pistream.sh test    install what is missing and run every test
#   ./pistream.sh deps    only install the system packages
#
set -euo pipefail
cd "$(dirname "$0")"

# Everything the platform and its tests use: JDK and Maven to build; GStreamer 1.22 with the plugins for
# cameras, microphones, encoders, RTP/RTSP and WebRTC; GIO's TLS support for RTSPS; argon2, with which the first
# start stores the generated administrator's password hashed; ffmpeg (ffprobe) as a
# third-party client in tests; Graphviz to draw pipeline graphs; headless Chromium and NSS's certutil for the
# browser tests; gcc and the gst-rtsp-server headers to build the native RTSP server the benchmarks compare against;
# lintian and systemd-analyze to check the Debian package and its unit; Prometheus (its server and promtool) to
# scrape and check /metrics in tests.
PACKAGES=(
    openjdk-17-jdk-headless maven
    gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
    gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-nice gstreamer1.0-rtsp libgstrtspserver-1.0-0
    glib-networking argon2
    gstreamer1.0-libcamera gstreamer1.0-alsa gstreamer1.0-pulseaudio gstreamer1.0-espeak gstreamer1.0-x
    ffmpeg procps graphviz chromium libnss3-tools prometheus
    gcc pkg-config libgstrtspserver-1.0-dev
    lintian systemd
)
# Only for the tests (deps, test): Janus, the media server the Janus output publishes to; the tests run their own
# instance in a network namespace of their own, which iproute2 sets up (testing/network-namespace/bin/java). Debian's
# package also enables a janus service, which pistream neither needs nor uses, so "start" does not install it.
# The benchmarks' network stage shapes a viewer's link inside that namespace with tc (iproute2) and nftables.
# OpenSSH's client logs in to the shell (port 8101) in the package's test.
TEST_PACKAGES=(janus iproute2 nftables openssh-client)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    local missing=() package
    for package in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    # Node.js and npm build the browser app; any installed Node.js 18 or newer will do.
    command -v npm > /dev/null 2>&1 || missing+=(nodejs npm)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "pistream: installing ${missing[*]}"
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    # Build GStreamer's plugin registry once, in a plain native process, before any JVM loads GStreamer.
    gst-inspect-1.0 > /dev/null 2>&1 || true
    # Build and run with Java 17 even where another JDK is the default.
    local jdk="/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)"
    if [ -d "$jdk" ]; then
        export JAVA_HOME="$jdk"
    fi
}

maven() {
    mvn -B -ntp "$@"
}

case "${1:-}" in
    deps)
        install_packages "${TEST_PACKAGES[@]}"
        ;;
    start)
        install_packages
        maven install -DskipTests
        # the whole platform: cameras (test pattern without one), RTSP on 8554, WebRTC and the web app on 8443,
        # added to Karaf's own boot stage the ordinary way (as the Debian package does)
        features_cfg=assembly/target/assembly/etc/org.apache.karaf.features.cfg
        grep -q '^    pistream$' "$features_cfg" \
            || sed -i 's|^    kar/\([0-9.]*\)$|    kar/\1, \\\n    pistream|' "$features_cfg"
        echo "pistream: starting; https://localhost:8443/ and rtsp://localhost:8554/camera once up;" \
            "type 'logout' or press Ctrl-D to stop"
        # on the first start bin/setenv creates the admin user and says where its password is; say it every time
        if [ -f assembly/target/assembly/etc/admin.password ]; then
            echo "pistream: user 'admin', password in $(pwd)/assembly/target/assembly/etc/admin.password"
        fi
        exec assembly/target/assembly/bin/karaf
        ;;
    test)
        install_packages "${TEST_PACKAGES[@]}"
        maven install
        ;;
    *)
        sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//'
        exit 2
        ;;
esac

#!/usr/bin/env bash
#
# Boots the Debian package on arm64, the Raspberry Pi's platform, on any Debian 12 machine: a bookworm arm64 root
# made by debootstrap, run under qemu-user through binfmt, the package installed there with apt, the service's own
# command started as the pistream user, and /camera watched from the host with ffprobe.
#
#   packaging/arm64-check.sh [assembly/target/pistream_<version>_all.deb]
#
# Needs root (debootstrap, chroot, binfmt), network access to a Debian mirror, and about 2 GB in $ROOT's
# filesystem. The root is kept for the next run (ROOT=/var/tmp/pistream-arm64 by default; delete it to start over).
# Slow: the JVM runs emulated; count 15 to 30 minutes for a first run, most of it debootstrap and apt.
set -euo pipefail
cd "$(dirname "$0")/.."

ROOT=${ROOT:-/var/tmp/pistream-arm64}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
RTSP_PORT=${RTSP_PORT:-18554}
HTTPS_PORT=${HTTPS_PORT:-18443}
deb=${1:-$(ls assembly/target/pistream_*_all.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "arm64-check: no package; build it with 'mvn install' first" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "arm64-check: run as root (debootstrap, chroot)" >&2; exit 2; }
step() { echo "arm64-check: $(date +%T) $*"; }

for tool in debootstrap qemu-aarch64-static update-binfmts ffprobe; do
    command -v "$tool" > /dev/null || { echo "arm64-check: needs $tool (apt-get install debootstrap qemu-user-static binfmt-support ffmpeg)" >&2; exit 2; }
done
# binfmt_misc lets the kernel hand arm64 programs to qemu; containers often have it unmounted
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
update-binfmts --enable qemu-aarch64 > /dev/null 2>&1 || true
grep -q enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 || { echo "arm64-check: qemu-aarch64 binfmt not enabled" >&2; exit 2; }

if [ ! -x "$ROOT/usr/bin/apt-get" ] || [ ! -f "$ROOT/.pistream-base-ready" ]; then
    step "debootstrap bookworm arm64 into $ROOT"
    mkdir -p "$ROOT"
    # debootstrap cannot choose a provider for dbus-session-bus (pulled in by the GStreamer plugins through dconf)
    # and leaves packages unconfigured: finish with apt-get -f install inside the root
    debootstrap --arch=arm64 --variant=minbase bookworm "$ROOT" "$MIRROR" || true
    chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q || true
    touch "$ROOT/.pistream-base-ready"
fi

mounts=(proc sys dev)
# the platform's JVM in the root, by its command line (the host sees the root's processes)
stop_service() {
    pkill -TERM -f -- "-Dkaraf.base=/var/lib/pistream " 2>/dev/null || true
    for _ in $(seq 1 60); do
        pgrep -f -- "-Dkaraf.base=/var/lib/pistream " > /dev/null || return 0
        sleep 1
    done
    return 1
}
cleanup() {
    stop_service || pkill -KILL -f -- "-Dkaraf.base=/var/lib/pistream " || true
    for m in "${mounts[@]}"; do umount -l "$ROOT/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --rbind /dev "$ROOT/dev"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

step "apt install $(basename "$deb") and its dependencies"
cp "$deb" "$ROOT/tmp/pistream.deb"
chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
    'apt-get update -q && apt-get install -y -q --no-install-recommends /tmp/pistream.deb'
chroot "$ROOT" dpkg --print-architecture
chroot "$ROOT" gst-inspect-1.0 --version | sed -n 1p

# The service's ports, free on the host (the root shares its network); the RTSP file is otherwise made on the
# first start
if [ ! -f "$ROOT/etc/pistream/io.pistream.rtsp.cfg" ]; then
    echo "port = $RTSP_PORT" > "$ROOT/etc/pistream/io.pistream.rtsp.cfg"
    chroot "$ROOT" chown pistream:pistream /etc/pistream/io.pistream.rtsp.cfg
fi
sed -i "s/^port *=.*/port = $RTSP_PORT/" "$ROOT/etc/pistream/io.pistream.rtsp.cfg"
sed -i "s/^org.osgi.service.http.port.secure *=.*/org.osgi.service.http.port.secure = $HTTPS_PORT/" \
    "$ROOT/etc/pistream/org.ops4j.pax.web.cfg"
sed -i "s/^sshPort *=.*/sshPort = 18101/" "$ROOT/etc/pistream/org.apache.karaf.shell.cfg"

step "start the service's command as user pistream (no systemd in a chroot)"
start=$(date +%s)
chroot "$ROOT" /usr/sbin/runuser -u pistream -- /usr/share/pistream/bin/pistream-service \
    > "$ROOT/tmp/pistream-service.log" 2>&1 &
pid=$!
password=""
for _ in $(seq 1 600); do
    password=$(cat "$ROOT/var/lib/pistream/admin.password" 2>/dev/null || true)
    if [ -n "$password" ] && timeout 30 ffprobe -v error -rtsp_transport tcp -show_entries stream=codec_name,width,height \
            -of csv=p=0 "rtsp://admin:$password@127.0.0.1:$RTSP_PORT/camera" > /tmp/arm64-ffprobe.txt 2>&1; then
        break
    fi
    kill -0 "$pid" 2>/dev/null || { tail -50 "$ROOT/tmp/pistream-service.log"; echo "arm64-check: the service ended" >&2; exit 1; }
    sleep 5
done
seconds=$(( $(date +%s) - start ))
grep -i "GStreamer .* ready" "$ROOT/var/lib/pistream/data/log/karaf.log" | sed -n 1p || true
if grep -q h264 /tmp/arm64-ffprobe.txt; then
    step "PASS: /camera answered after $seconds s on $(chroot "$ROOT" uname -m) (emulated): $(tr '\n' ' ' < /tmp/arm64-ffprobe.txt)"
else
    tail -50 "$ROOT/tmp/pistream-service.log"
    step "FAIL: /camera did not answer within $seconds s"
    exit 1
fi

step "stop with SIGTERM, as systemctl stop does"
stop_service || { echo "arm64-check: FAIL: still running 60 s after SIGTERM" >&2; exit 1; }
grep -q "RTSP server on port $RTSP_PORT stopped" "$ROOT/var/lib/pistream/data/log/karaf.log" \
    || { echo "arm64-check: FAIL: the platform did not stop its RTSP server" >&2; exit 1; }

fail() { echo "arm64-check: FAIL: $*" >&2; exit 1; }
fingerprint() { chroot "$ROOT" sh -c 'cat /var/lib/pistream/users.properties /var/lib/pistream/pki/ca.crt \
    /var/lib/pistream/pistream-token.key | sha256sum'; }
before=$(fingerprint)
mkdir -p "$ROOT/var/lib/pistream/data/recordings"
echo "a recording" > "$ROOT/var/lib/pistream/data/recordings/kept.mkv"
echo "# changed by the administrator" >> "$ROOT/etc/pistream/io.pistream.security.cfg"

step "upgrade (the package installed again over itself): configuration, users, certificates, recordings kept"
chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall \
    -o Dpkg::Options::=--force-confold /tmp/pistream.deb > /dev/null
[ "$(fingerprint)" = "$before" ] || fail "users, certificates or tokens changed by the upgrade"
[ -f "$ROOT/var/lib/pistream/data/recordings/kept.mkv" ] || fail "a recording was lost by the upgrade"
grep -q "changed by the administrator" "$ROOT/etc/pistream/io.pistream.security.cfg" || fail "a changed conffile was replaced"
[ -L "$ROOT/etc/pistream/users.properties" ] || fail "the link to the users file was lost"

step "remove: the code goes, configuration and state stay"
chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q pistream > /dev/null
[ ! -e "$ROOT/usr/share/pistream/bin/karaf" ] || fail "the code is still there after remove"
[ -f "$ROOT/etc/pistream/org.apache.karaf.features.cfg" ] || fail "the configuration went with remove"
[ "$(fingerprint)" = "$before" ] || fail "users, certificates or tokens went with remove"
[ -f "$ROOT/var/lib/pistream/data/recordings/kept.mkv" ] || fail "a recording went with remove"

step "purge: configuration, state and the pistream user go"
chroot "$ROOT" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q pistream > /dev/null
[ ! -e "$ROOT/etc/pistream" ] || fail "/etc/pistream is still there after purge"
[ ! -e "$ROOT/var/lib/pistream" ] || fail "/var/lib/pistream is still there after purge"
! chroot "$ROOT" getent passwd pistream > /dev/null || fail "the user pistream is still there after purge"
step "PASS: stop, upgrade, remove and purge"

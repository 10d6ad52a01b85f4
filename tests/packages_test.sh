#!/usr/bin/env bash
# packages_test: build the four Debian packages from this build tree (CPack), and
# check what an IT person would meet: the files are where the units expect them,
# the dependencies are Debian's and resolve (apt, simulated), the maintainer
# scripts parse, the units pass `systemd-analyze verify` with no word said and
# the server's hardening scores under a threshold, and the packaged server serves
# the packaged web UI. Usage: packages_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/center-packages-XXXXXX)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== cpack"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
deb() { echo "$work/out/service-center-$1_${version}_$2.deb"; }
for p in "common all" "server amd64" "kiosk amd64" "display amd64"; do
  set -- $p
  [ -f "$(deb "$1" "$2")" ] || fail "no package $(basename "$(deb "$1" "$2")")"
  echo "  $(basename "$(deb "$1" "$2")"): $(du -k "$(deb "$1" "$2")" | cut -f1) KiB"
done

echo "== contents"
has_file() {  # has_file PACKAGE PATH...
  local package=$1; shift
  local listing; listing=$(dpkg-deb -c "$package" | awk '{print $6}')
  for f in "$@"; do grep -qx "./$f" <<< "$listing" || fail "$(basename "$package") lacks /$f"; done
}
has_file "$(deb common all)" usr/lib/sysusers.d/service-center.conf usr/share/service-center/web/console/index.html \
  usr/share/service-center/web/dashboard/index.html usr/share/service-center/web/admin/index.html
has_file "$(deb server amd64)" usr/bin/queue-server usr/lib/systemd/system/queue-server.service \
  usr/lib/systemd/system/queue-server-backup.service usr/lib/systemd/system/queue-server-backup.timer \
  usr/share/service-center/examples/center.example.toml usr/share/service-center/examples/queue-server.default
has_file "$(deb kiosk amd64)" usr/bin/kiosk usr/bin/center-print usr/lib/systemd/system/center-kiosk.service \
  usr/lib/udev/rules.d/60-service-center.rules usr/share/service-center/examples/kiosk.example.toml
has_file "$(deb display amd64)" usr/bin/display usr/lib/systemd/system/center-display.service \
  usr/share/service-center/voice-pack/chime.wav usr/share/service-center/examples/display.example.toml
dpkg-deb -c "$(deb server amd64)" | grep -q " ./etc/" && fail "the server package ships files in /etc (postinst makes them)"

echo "== dependencies"
depends_on() {  # depends_on PACKAGE NAME...
  local d names; d=$(dpkg-deb -f "$1" Depends)
  names=$(tr ',' '\n' <<< "$d" | sed 's/^ *//; s/ .*//')
  for n in "${@:2}"; do grep -qxF "$n" <<< "$names" || fail "$(basename "$1") does not depend on $n: $d"; done
}
depends_on "$(deb server amd64)" service-center-common libsqlite3-0 libsodium23 libsystemd0 libstdc++6 tzdata
depends_on "$(deb kiosk amd64)" service-center-common cage fonts-noto-core libsdl2-2.0-0 libsdl2-ttf-2.0-0 libusb-1.0-0 libcups2 libqrencode4
depends_on "$(deb display amd64)" service-center-common cage fonts-noto-core libsdl2-2.0-0 libespeak-ng1
for f in "$work"/out/*.deb; do echo "  $(dpkg-deb -f "$f" Package): $(dpkg-deb -f "$f" Depends)"; done
apt-get install -s "$work"/out/*.deb > "$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt cannot install the packages"; }
[ "$(grep -c '^Inst service-center-' "$work/apt.log")" = 4 ] || { cat "$work/apt.log"; fail "apt would not install all four"; }

echo "== maintainer scripts"
for f in "$work"/out/*.deb; do
  dpkg-deb -e "$f" "$work/control-$(dpkg-deb -f "$f" Package)"
done
for s in "$work"/control-*/postinst "$work"/control-*/prerm "$work"/control-*/postrm; do
  [ -e "$s" ] || continue
  [ -x "$s" ] || fail "$s is not executable"
  sh -n "$s" || fail "$s does not parse"
done
[ -x "$work/control-service-center-server/postinst" ] || fail "the server has no postinst"

echo "== units"
root="$work/root"
for f in "$work"/out/*.deb; do dpkg-deb -x "$f" "$root"; done
# systemd-analyze verify --root needs systemd's own units and what ExecStart names.
cp -rn /usr/lib/systemd/system/. "$root/usr/lib/systemd/system/"
cp "$(command -v cage)" "$root/usr/bin/cage"
units=(queue-server.service queue-server-backup.service queue-server-backup.timer center-kiosk.service center-display.service)
verify=$(cd "$root" && systemd-analyze verify --root="$root" "${units[@]/#/usr/lib/systemd/system/}" 2>&1) ||
  fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify said: $verify"
security=$(systemd-analyze security --offline=yes --root="$root" --threshold=20 usr/lib/systemd/system/queue-server.service 2>&1) ||
  { echo "$security" | tail -20; fail "queue-server.service is exposed above 2.0"; }
echo "  queue-server.service: $(grep -o 'Overall exposure level.*' <<< "$security")"

echo "== the packaged server serves the packaged UI"
exec 3< <(exec "$root/usr/bin/queue-server" --data "$work/data" --demo --listen 127.0.0.1:0 --web "$root/usr/share/service-center/web")
server_pid=$!
line=
while read -r -u 3 line; do [[ $line == *listening* ]] && break; done
[[ $line == *listening* ]] || fail "the packaged server did not start"
port=${line##*:}; port=${port%% *}
curl -fsS "http://127.0.0.1:$port/console/" | grep -qi "<html" || fail "no console page from the packaged files"
curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null || fail "no /healthz"
"$root/usr/bin/queue-server" check-config "$root/usr/share/service-center/examples/center.example.toml" || fail "the shipped example config"
"$root/usr/bin/kiosk" --help > /dev/null || fail "the packaged kiosk does not run"
"$root/usr/bin/display" --help > /dev/null || fail "the packaged display does not run"
echo "OK: four packages built, installable, verified"

#!/usr/bin/env bash
# udev_test: the kiosk's udev rules (deploy/udev/60-service-center.rules) run by
# the real udevd rule engine (`udevadm test`) on devices emulated at the sysfs
# level by umockdev: a printer-class device of an unknown vendor, an Epson with
# a vendor class, a serial-mode scanner get the kiosk's group, mode and
# uaccess; a keyboard and a CH340 serial cable get nothing. The rules and a
# group file are bind-mounted, and udev's database is a tmpfs, in a private
# mount namespace: the machine's own /etc and /run are not touched. Needs root
# (unshare -m).
set -euo pipefail
rules=$(cd "$(dirname "$0")/../deploy/udev" && pwd)/60-service-center.rules
work=$(mktemp -d /tmp/center-udev-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (a private mount namespace)"
mkdir "$work/rules"
cp "$rules" "$work/rules/"
cp /etc/group "$work/group"
echo "service-center-devices:x:987:" >> "$work/group"

usb() {  # usb NAME VID PID INTERFACES: a USB device record
  cat <<REC
P: /devices/pci0000:00/0000:00:14.0/usb1/$1
N: bus/usb/001/0$((RANDOM % 90 + 10))
E: SUBSYSTEM=usb
E: DEVTYPE=usb_device
E: ID_USB_INTERFACES=$4
A: idVendor=$2
A: idProduct=$3
A: busnum=1
A: devnum=2

REC
}
tty() {  # tty PARENT N: a ttyACM port of a USB device
  cat <<REC
P: /devices/pci0000:00/0000:00:14.0/usb1/$1/$1:1.0/tty/ttyACM$2
N: ttyACM$2
E: SUBSYSTEM=tty
E: DEVNAME=/dev/ttyACM$2

REC
}
{
  usb 1-1 1234 0001 :070102:
  usb 1-2 04b8 0e15 :ffffff:
  usb 1-3 046d c31c :030101:030000:
  usb 1-4 0c2e 0b61 :020200:0a0000:
  tty 1-4 0
  usb 1-5 1a86 7523 :ff0102:
  tty 1-5 1
} > "$work/devices.umockdev"

run() {  # run SYSFS-PATH: what the rules did to that device
  unshare -m sh -c "mkdir -p /run/udev && mount -t tmpfs tmpfs /run/udev &&
    mount --bind '$work/rules' /etc/udev/rules.d && mount --bind '$work/group' /etc/group &&
    umockdev-run -d '$work/devices.umockdev' -- udevadm test --action=add '$1'" 2>&1
}
expect_ours() {  # expect_ours PATH WHAT
  local out; out=$(run "$1")
  grep -q "60-service-center.rules:[0-9]* GROUP 987" <<< "$out" || { echo "$out" | tail -30; fail "$2: not given the kiosk's group"; }
  grep -q "60-service-center.rules:[0-9]* MODE 0660" <<< "$out" || fail "$2: not mode 0660"
  grep -q "^TAGS=.*:uaccess:" <<< "$out" || fail "$2: no uaccess tag"
  grep -qiE "60-service-center.rules.*(invalid|unknown|failed)" <<< "$out" && fail "$2: the rules file has errors: $(grep -i 60-service <<< "$out")"
  echo "  $2: group service-center-devices, 0660, uaccess"
  printf '%s\n' "$out"
}
expect_none() {  # expect_none PATH WHAT
  local out; out=$(run "$1")
  grep -q "60-service-center.rules:[0-9]* GROUP" <<< "$out" && fail "$2: taken by the kiosk's rules"
  grep -q "^SERVICE_CENTER=" <<< "$out" && fail "$2: marked as the kiosk's"
  echo "  $2: left alone"
}
base=/sys/devices/pci0000:00/0000:00:14.0/usb1
expect_ours "$base/1-1" "printer-class device, unknown vendor" | grep -q "^SERVICE_CENTER=printer" || fail "1-1 not marked a printer"
expect_ours "$base/1-2" "Epson receipt printer, vendor class" > /dev/null
# (udevadm test does not show SYMLINK results, so /dev/center-scannerN is not checked here.)
expect_ours "$base/1-4/1-4:1.0/tty/ttyACM0" "Honeywell scanner in serial mode" > /dev/null
expect_none "$base/1-3" "a USB keyboard"
expect_none "$base/1-5/1-5:1.0/tty/ttyACM1" "a CH340 serial cable"
echo "OK: the udev rules give the kiosk its printers and scanners, and nothing else"

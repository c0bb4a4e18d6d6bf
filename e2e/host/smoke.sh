#!/usr/bin/env bash
# Checks a provisioned test host end to end, without the app: boots the test guest, waits
# for its banner, types into its serial console, sends Ctrl+Alt+Del, checks VNC and the
# balloon, then shuts it down gracefully (ACPI) and leaves it shut off.
# Run after provision.sh, as root. Prints "N passed, N failed"; exits non-zero on a failure.
set -euo pipefail

ENV_FILE=/var/lib/virtdeck-test/env
[[ -r "$ENV_FILE" ]] || { echo "no $ENV_FILE: run e2e/host/provision.sh first" >&2; exit 1; }
# shellcheck source=/dev/null
. "$ENV_FILE"

PASSED=0
FAILED=0
READER_PID=''

virsh_() { virsh -q -c "$LIBVIRT_URI" "$@"; }
ok() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }

# The serial log has every byte the guest wrote on ttyS0 since it started; \r stripped.
serial_text() { tr -d '\r' < "$GUEST_SERIAL_LOG" 2> /dev/null || true; }

# wait_line LINE SECONDS [COUNT]: until LINE appears on a line of its own COUNT times.
wait_line() {
  local line="$1" deadline=$((SECONDS + $2)) count="${3:-1}"
  while ((SECONDS < deadline)); do
    if (($(serial_text | grep -cxF -- "$line" || true) >= count)); then return 0; fi
    sleep 0.1
  done
  return 1
}

state() { virsh_ domstate "$GUEST_NAME" 2> /dev/null || true; }

cleanup() {
  exec 3>&- 2> /dev/null || true
  if [[ -n "$READER_PID" ]]; then kill "$READER_PID" 2> /dev/null || true; fi
  if [[ "$(state)" != "shut off" ]]; then virsh_ destroy "$GUEST_NAME" > /dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# send LINE: types LINE and Enter on the guest's serial console.
send() { printf '%s\r' "$1" >&3; }

if [[ "$(state)" != "shut off" ]]; then
  echo "$GUEST_NAME is $(state); stopping it first"
  virsh_ destroy "$GUEST_NAME" > /dev/null
fi

start=$SECONDS
virsh_ start "$GUEST_NAME" > /dev/null
if wait_line "$GUEST_BANNER" 90; then
  ok "banner after $((SECONDS - start)) s"
else
  fail "no banner within 90 s"; serial_text | tail -20; exit 1
fi

# Hold the console pty the way a console client would: raw, and drained (a pty nobody reads
# fills up and stalls the guest's serial output).
pty="$(virsh_ ttyconsole "$GUEST_NAME")"
stty -F "$pty" raw -echo
cat "$pty" > /dev/null 2>&1 &   # gets EIO when QEMU exits, which is fine
READER_PID=$!
exec 3> "$pty"
sleep 1.5   # QEMU notices a newly opened pty within a second

# shellcheck disable=SC2016 # the guest's shell expands it
send 'echo $((6*7))'
if wait_line 42 10; then ok "shell arithmetic"; else fail "echo \$((6*7)) did not print 42"; fi
send 'stty size'
if wait_line '24 80' 10; then ok "stty size (default 24 80)"; else fail "stty size"; fi
send 'stty rows 30 cols 100; stty size'
if wait_line '30 100' 10; then ok "stty rows/cols"; else fail "stty rows 30 cols 100"; fi

virsh_ send-key "$GUEST_NAME" KEY_LEFTCTRL KEY_LEFTALT KEY_DELETE > /dev/null
if wait_line "$GUEST_CTRL_ALT_DEL_LINE" 10; then ok "Ctrl+Alt+Del is observable"; else fail "Ctrl+Alt+Del"; fi
if [[ "$(state)" == running ]]; then ok "still running after Ctrl+Alt+Del"; else fail "state $(state)"; fi

display="$(virsh_ domdisplay "$GUEST_NAME")"
if [[ "$display" == vnc://127.0.0.1:* ]]; then ok "VNC display $display"; else fail "domdisplay: $display"; fi
if virsh_ dommemstat "$GUEST_NAME" | grep -q '^usable '; then ok "balloon reports memory stats"; else
  fail "no balloon stats"; fi

start=$SECONDS
virsh_ shutdown "$GUEST_NAME" > /dev/null
while [[ "$(state)" != "shut off" ]] && ((SECONDS - start < 30)); do sleep 0.2; done
if [[ "$(state)" == "shut off" ]] && wait_line "$GUEST_POWER_BUTTON_LINE" 1; then
  ok "graceful ACPI shutdown in $((SECONDS - start)) s"
else
  fail "virsh shutdown: state '$(state)' after 30 s"
fi

echo "smoke: $PASSED passed, $FAILED failed"
[[ "$FAILED" == 0 ]]

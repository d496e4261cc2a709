# Shared by capture.sh and capture-browser-trailing-dot.sh (sourced, not run).
#
# finish_capture NAME LISTENER_PID CLIENT_PID: waits for capture-listener.py, stops the client's own process group
# (started with setsid; Chromium and Firefox keep running otherwise), prints the listener's log, and fails with the
# client's output when nothing was captured. Reads $WORK/NAME.listener.log and $WORK/NAME.client.log.
finish_capture() {
  local name=$1 lpid=$2 cpid=$3 rc=0
  wait "$lpid" || rc=$?
  sleep 0.5
  kill -- "-$cpid" 2>/dev/null || true
  wait "$cpid" 2>/dev/null || true
  cat "$WORK/$name.listener.log"
  if [[ $rc -ne 0 ]]; then
    echo "!! $name: capture failed; client output:" >&2
    cat "$WORK/$name.client.log" >&2
    return 1
  fi
}

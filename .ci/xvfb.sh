# Sourced by the scripts that run pwg under Xvfb (.ci/screenshot,
# .ci/measure-dashboard): one way to start the X server and wait for it.

# start_xvfb DISPLAY WxH starts Xvfb on DISPLAY (":77") with one WxH screen
# of 24-bit colour, sets xvfb_pid, and waits (at most 5 s) until it answers.
start_xvfb() {
  Xvfb "$1" -screen 0 "${2}x24" >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 50); do
    xdpyinfo -display "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
}

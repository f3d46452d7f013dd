# Sourced by setup.sh and test.sh: apt-get that waits, up to 10 minutes, while another
# apt or dpkg holds its locks (a fresh machine often runs its own update at boot).
# DPkg::Lock::Timeout covers installing; `apt-get update` ignores it, so a busy lists
# lock is retried here.
apt_get() {
  local deadline=$((SECONDS + 600)) log
  log=$(mktemp)
  while true; do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>"$log"; then
      rm -f "$log"
      return 0
    fi
    if grep -q "Could not get lock\|Unable to lock\|Unable to acquire" "$log" \
      && [ "$SECONDS" -lt "$deadline" ]; then
      echo "apt is busy (another apt or dpkg is running); retrying in 5 s" >&2
      sleep 5
      continue
    fi
    cat "$log" >&2
    rm -f "$log"
    return 1
  done
}

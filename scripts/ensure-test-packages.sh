#!/usr/bin/env bash
# Real peers some tests talk to, from Debian's packages: chromium (the Web UI
# test, through playwright-core, never a downloaded browser), FRRouting and
# OpenSSH's sshd (the FRR dialect against a real router), the OpenSSH client
# (the lab speaks standard SSH), Prometheus with promtool (the metrics
# endpoint), and PostgreSQL (the multi-service Temporal cluster test). Installs what is missing when we can (root with apt-get);
# otherwise says which tests will skip. Never fails the test run.
set -uo pipefail
declare -A NEED=(
  [chromium]="${NETOPS_CHROMIUM:-/usr/bin/chromium}"
  [frr]=/usr/bin/vtysh
  [openssh-server]=/usr/sbin/sshd
  [openssh-client]=/usr/bin/scp
  [prometheus]=/usr/bin/promtool
)
missing=()
for pkg in "${!NEED[@]}"; do
  [ -x "${NEED[$pkg]}" ] || missing+=("$pkg")
done
# PostgreSQL's server binaries live under a versioned directory.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "note: not installed: ${missing[*]} (needs root and apt-get); the tests that use them will skip" >&2
  exit 0
fi
echo "== installing ${missing[*]} for the tests (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
# No daemons from the packages: tests start their own sshd, FRR and Prometheus.
ours=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && ours=1
fi
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
ok=$?
[ -n "$ours" ] && rm -f /usr/sbin/policy-rc.d
[ $ok -eq 0 ] && exit 0
echo "note: installing ${missing[*]} failed: the tests that use them will skip" >&2
exit 0

#!/usr/bin/env bash
# Installs the Debian packages Lucid needs that are missing (scripts/packages.txt).
#   scripts/setup.sh [PROFILE...]     profiles: build (always), test
# Nothing is assumed to be on the machine: every tool a test uses is listed there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
profiles=" build $* "

want=()
while read -r profile pkg _; do
    case "$profile" in ''|'#'*) continue ;; esac
    [[ "$profiles" == *" $profile "* ]] || continue
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        want+=("$pkg")
    fi
done < "$here/packages.txt"

if [ ${#want[@]} -eq 0 ]; then
    echo "setup: all packages present"
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark's package asks whether non-root users may capture; the tests run as root: no.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${want[@]}"

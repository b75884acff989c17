#!/usr/bin/env bash
# Installs the Debian packages mfml-anim needs: pango/cairo headers so pip can build ManimPango,
# a small TeX Live set with dvisvgm for MathTex, python3-venv, and chromium for the browser tests. Skips apt entirely when all are present.
set -euo pipefail
PKGS=(build-essential pkg-config libpango1.0-dev libcairo2-dev python3-venv python3-dev
      texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm cm-super-minimal
      chromium   # headless, by the tests: slide decks and the course site opened offline (tests/browser.py)
      espeak-ng)  # offline narration (render --voice espeak, the tests' voice; Piper is the pip extra [voice])
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"

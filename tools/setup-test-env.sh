#!/bin/sh
# Install what the browser and HTML-validity tests need; safe to run again (idempotent).
#   - Debian's chromium (playwright drives it; `playwright install` cannot download browsers here)
#   - a Java runtime and the Nu HTML Checker (vnu-jar from npm) for HTML validation
#   - a CJK font, so screenshots show Chinese text instead of empty boxes
# The vnu jar goes to $VNU_PREFIX (default ~/.cache/budget-site/vnu), outside the repository;
# tests find it there, or wherever $VNU_JAR points.
set -eu

VNU_PREFIX="${VNU_PREFIX:-$HOME/.cache/budget-site/vnu}"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
fc-list 2>/dev/null | grep -qi -e "WenQuanYi" -e "Noto Sans CJK" || need="$need fonts-wqy-microhei"
if [ -n "$need" ]; then
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $need
fi

if [ ! -f "$VNU_PREFIX/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
    mkdir -p "$VNU_PREFIX"
    npm install --prefix "$VNU_PREFIX" --no-audit --no-fund vnu-jar@26.9.27
fi

python3 -c "import playwright" 2>/dev/null || python3 -m pip install -e ".[test]"

echo "chromium: $(command -v chromium)"
echo "java:     $(command -v java)"
echo "vnu.jar:  $VNU_PREFIX/node_modules/vnu-jar/build/dist/vnu.jar"

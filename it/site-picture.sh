#!/usr/bin/env bash
# Re-makes the README's picture of the site page (src/site/resources/images/site-page.png): the top of the
# page that the site-report integration test writes for the bundled stories260k, as headless Chromium shows it.
#
# usage: mvn -B -ntp verify -pl it -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dinvoker.test=site-report
#        it/site-picture.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
page="$here/target/it/site-report/target/site/spectral-report.html"
out="$here/../src/site/resources/images/site-page.png"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "site-picture: chromium is not installed" >&2; exit 2; }
[ -f "$page" ] || { echo "site-picture: no page at $page; run the site-report integration test first" >&2; exit 2; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$profile" \
    --window-size=1200,1400 --screenshot="$out" "file://$page" 2>/dev/null
echo "wrote $out"

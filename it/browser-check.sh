#!/usr/bin/env bash
# Opens the generated site page in headless Chromium and checks what a reader would see: every image
# loaded (naturalWidth > 0), the skin's stylesheets applied, the summary and per-head tables present.
# Keeps a screenshot of the whole page.
#
# usage: it/browser-check.sh [page.html] [screenshot.png]
#   page        default: it/target/it/site-report/target/site/spectral-report.html (the site IT's output)
#   screenshot  default: it/target/browser-check/spectral-report.png
# Needs Debian's chromium (apt-get install -y chromium). Exit status 0 only when every check passes.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
page="${1:-$here/target/it/site-report/target/site/spectral-report.html}"
shot="${2:-$here/target/browser-check/spectral-report.png}"
min_charts="${MIN_CHARTS:-5}"
min_tables="${MIN_TABLES:-4}"

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
    echo "browser-check: chromium is not installed (apt-get install -y chromium)" >&2
    exit 2
fi
if [ ! -f "$page" ]; then
    echo "browser-check: no page at $page; run the site integration test first (mvn -pl it verify)" >&2
    exit 2
fi
page="$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
mkdir -p "$(dirname "$shot")"
shot="$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"

profile="$(mktemp -d)"
probe="$(dirname "$page")/.browser-check-$$.html"
trap 'rm -rf "$profile" "$probe"' EXIT

run_browser() {
    "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$profile" "$@" 2>/dev/null
}

# A copy of the page next to it (same relative links, same skin) with a probe that runs after every
# image has loaded or failed and writes its findings into the DOM, which --dump-dom then prints.
sed 's#</body>#<script>\
window.addEventListener("load", function () {\
  var imgs = Array.prototype.slice.call(document.images);\
  var broken = imgs.filter(function (i) { return !(i.complete \&\& i.naturalWidth > 0); })\
                   .map(function (i) { return i.getAttribute("src"); });\
  var charts = imgs.filter(function (i) { return (i.getAttribute("src") || "").indexOf("spectral/") === 0; });\
  var headRows = 0;\
  document.querySelectorAll("table").forEach(function (t) {\
    if (t.textContent.indexOf("positivity") >= 0 \&\& t.textContent.indexOf("effective rank") >= 0) {\
      headRows += t.querySelectorAll("tr").length - 1;\
    }\
  });\
  var styled = 0;\
  for (var s = 0; s < document.styleSheets.length; s++) {\
    try { if (document.styleSheets[s].cssRules.length > 0) { styled++; } } catch (e) { styled++; }\
  }\
  var out = document.createElement("pre");\
  out.id = "browser-check-result";\
  out.textContent = "RESULT images=" + imgs.length + " charts=" + charts.length\
      + " chartsLoaded=" + charts.filter(function (i) { return i.naturalWidth > 0; }).length\
      + " broken=[" + broken.join(" ") + "] tables=" + document.querySelectorAll("table").length\
      + " headRows=" + headRows + " stylesheets=" + styled\
      + " height=" + document.documentElement.scrollHeight + " END";\
  document.body.appendChild(out);\
});\
</script></body>#' "$page" > "$probe"

dom="$(run_browser --allow-file-access-from-files --virtual-time-budget=20000 --dump-dom "file://$probe" || true)"
result="$(printf '%s' "$dom" | grep -o 'RESULT .* END' | head -n 1 || true)"
if [ -z "$result" ]; then
    echo "browser-check: the page did not finish loading in Chromium (no probe result)" >&2
    exit 1
fi
echo "browser-check: $page"
echo "browser-check: $result"

field() { printf '%s' "$result" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
broken="$(printf '%s' "$result" | sed -n 's/.*broken=\[\([^]]*\)\].*/\1/p')"
fail=0
check() {
    if [ "$1" = ok ]; then echo "  ok    $2"; else echo "  FAIL  $2"; fail=1; fi
}
[ -z "$broken" ] && check ok "every image loaded" || check no "images that did not load: $broken"
[ "$(field charts)" -ge "$min_charts" ] && check ok "$(field charts) charts on the page" \
    || check no "only $(field charts) charts on the page (expected at least $min_charts)"
[ "$(field chartsLoaded)" = "$(field charts)" ] && check ok "all charts have a natural width > 0" \
    || check no "$(field chartsLoaded) of $(field charts) charts rendered"
[ "$(field tables)" -ge "$min_tables" ] && check ok "$(field tables) tables" \
    || check no "only $(field tables) tables (expected at least $min_tables)"
[ "$(field headRows)" -gt 0 ] && check ok "$(field headRows) per-head rows (QK and OV tables)" \
    || check no "no per-head table rows"
[ "$(field stylesheets)" -gt 0 ] && check ok "$(field stylesheets) stylesheets applied (site skin)" \
    || check no "no stylesheet applied: the page is not rendered inside the site skin"

# Screenshot of the whole page: the window as tall as the document (Chromium caps a capture at 16384 px).
height="$(field height)"
[ "$height" -gt 16000 ] 2>/dev/null && height=16000
[ "$height" -gt 0 ] 2>/dev/null || height=4000
rm -f "$shot"
run_browser --virtual-time-budget=20000 --run-all-compositor-stages-before-draw \
    --window-size=1400,"$height" --screenshot="$shot" "file://$page" >/dev/null || true
if [ -s "$shot" ]; then
    check ok "screenshot $shot (1400 x $height)"
else
    check no "no screenshot written to $shot"
fi
exit "$fail"

#!/bin/sh
# trunk post_build hook (Trunk.toml): gives boot.js a name with its content's hash (so a page of
# one build never runs another build's loader, and the service worker can keep it cache-first like
# trunk's own hashed files), then stamps sw.js in the staging directory with this build's id (a
# hash of every file it caches) and the list of those files, relative to the app's base.
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk}"

# boot.js -> boot-<16 hex>.js, and the one reference to it in index.html (trunk's pattern_script).
[ -f boot.js ] || { echo "service-worker.sh: boot.js not staged" >&2; exit 1; }
[ "$(grep -o 'boot\.js"' index.html | wc -l)" -eq 1 ] || { echo "service-worker.sh: index.html must load boot.js once" >&2; exit 1; }
boot="boot-$(sha256sum boot.js | cut -c1-16).js"
mv boot.js "$boot"
sed -i "s|boot\.js\"|$boot\"|" index.html
grep -q "$boot\"" index.html || { echo "service-worker.sh: index.html not pointed at $boot" >&2; exit 1; }

# The inlined stylesheet (index.html): the Content-Security-Policy allows that <style> and no
# other, by the SHA-256 of its text (CSP's 'sha256-<base64>' source).
[ "$(grep -o '<style>' index.html | wc -l)" -eq 1 ] || { echo "service-worker.sh: index.html must hold one <style>" >&2; exit 1; }
style=$(awk 'BEGIN { RS = "</style>" } NR == 1 { printf "%s", substr($0, index($0, "<style>") + 7) }' index.html \
  | openssl dgst -sha256 -binary | base64)
sed -i "s|'sha256-__STYLE__'|'sha256-$style'|" index.html
grep -q "'sha256-$style'" index.html || { echo "service-worker.sh: the stylesheet's hash is not in index.html" >&2; exit 1; }

files=$(find . -type f ! -name sw.js | sed 's|^\./||' | LC_ALL=C sort)
[ -n "$files" ] || { echo "service-worker.sh: nothing staged" >&2; exit 1; }
build=$(for f in $files; do sha256sum "$f"; done | sha256sum | cut -c1-16)
list='"./"'
for f in $files; do list="$list, \"$f\""; done
sed -i "s|\"__BUILD__\"|\"$build\"|; s|\[\"__ASSETS__\"\]|[$list]|" sw.js
grep -q "__ASSETS__\|__BUILD__" sw.js && { echo "service-worker.sh: sw.js not stamped" >&2; exit 1; }
echo "service-worker.sh: $boot, style sha256-$style, build $build, $(echo "$files" | wc -l) files"

#!/bin/sh
# trunk post_build hook (Trunk.toml): stamps sw.js in the staging directory with this build's id
# (a hash of every file it caches) and the list of those files, relative to the app's base.
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk}"
files=$(find . -type f ! -name sw.js | sed 's|^\./||' | LC_ALL=C sort)
[ -n "$files" ] || { echo "service-worker.sh: nothing staged" >&2; exit 1; }
build=$(for f in $files; do sha256sum "$f"; done | sha256sum | cut -c1-16)
list='"./"'
for f in $files; do list="$list, \"$f\""; done
sed -i "s|\"__BUILD__\"|\"$build\"|; s|\[\"__ASSETS__\"\]|[$list]|" sw.js
grep -q "__ASSETS__\|__BUILD__" sw.js && { echo "service-worker.sh: sw.js not stamped" >&2; exit 1; }
echo "service-worker.sh: build $build, $(echo "$files" | wc -l) files"

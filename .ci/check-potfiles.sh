#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks po/POTFILES.in against the sources: every .c or .ui file that marks
# strings for translation must be listed (or be in po/POTFILES.skip), and
# every listed file must exist. A missing entry means strings silently stay
# in English, which is easy to miss when the developers read both languages.
#
# Usage: check-potfiles.sh [SOURCE_ROOT]
set -eu

root=${1:-$(dirname "$0")/..}
cd "$root"

potfiles=po/POTFILES.in
skipfiles=po/POTFILES.skip
status=0

listed () {
  grep -qxF "$1" "$potfiles" 2>/dev/null && return 0
  [ -f "$skipfiles" ] && grep -qxF "$1" "$skipfiles" && return 0
  return 1
}

# Listed files must exist (comments and blank lines are allowed).
for f in $(grep -v '^[[:space:]]*#' "$potfiles" | sed '/^[[:space:]]*$/d'); do
  if [ ! -f "$f" ]; then
    echo "$potfiles lists $f, which does not exist"
    status=1
  fi
done

# C files using a gettext macro, in code rather than only in comments is
# not worth telling apart here: a false positive costs one line in the list.
for f in $(find src -name '*.c' | LC_ALL=C sort); do
  if grep -qE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_)\(' "$f" && ! listed "$f"; then
    echo "$f has translatable strings but is not in $potfiles"
    status=1
  fi
done

for f in $(find src resources -name '*.ui' | LC_ALL=C sort); do
  if grep -q 'translatable="yes"' "$f" && ! listed "$f"; then
    echo "$f has translatable strings but is not in $potfiles"
    status=1
  fi
done

# Kept sorted so that branches appending to it merge cleanly.
if ! grep -v '^[[:space:]]*#' "$potfiles" | sed '/^[[:space:]]*$/d' | LC_ALL=C sort -c 2>/dev/null; then
  echo "$potfiles is not sorted (LC_ALL=C sort)"
  status=1
fi

[ $status -eq 0 ] && echo "$potfiles is complete"
exit $status

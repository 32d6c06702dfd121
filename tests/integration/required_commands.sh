#!/usr/bin/env bash
# Every command that a script, test or benchmark runs is a shell builtin, a function of the
# scripts, a project script or build product, or named in scripts/required-commands (which
# scripts/install-deps installs and scripts/check-commands verifies). So a test that starts
# calling, say, curl fails here until the list names curl's package, instead of failing with
# "command not found" on a fresh machine only. Needs no sandbox and no weft.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
LIST="$REPO/scripts/required-commands"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/weft-cmds.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# The scanner's findings: "file:line<TAB>command|function<TAB>word".
/usr/bin/python3 "$REPO/tests/integration/used_commands.py" "$REPO" > "$WORK/found" ||
  fail "the scanner (tests/integration/used_commands.py) failed"
[ "$(grep -c $'\tcommand\t' "$WORK/found")" -gt 100 ] || fail "the scanner found almost nothing: it is broken"

# What needs no install: bash's builtins and reserved words, the scanner's opaque [[ ]] and
# (( )) words, and every function some script defines (tests call lib.sh's).
{ bash -c 'compgen -b; compgen -k'; printf '%s\n' '[[]]' '(())'; } > "$WORK/builtins"
awk -F'\t' '$2 == "function" { print $3 }' "$WORK/found" > "$WORK/functions"
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$LIST" | awk '{ print $1 }' > "$WORK/listed"
sort -u "$WORK/builtins" "$WORK/functions" "$WORK/listed" > "$WORK/known"

# is_project_path WORD: a path inside the repository ("$REPO/scripts/sandbox", scripts/build) or
# a build product (build/bin/weft, "$WEFT_BIN"); a bare variable ("$CLIENT") cannot be judged
# here and is accepted (the commands behind such variables are listed by hand).
is_project_path() {
  local w="${1//\"/}"
  w="${w//\'/}"
  case "$w" in
    \$*/* | \$\{*\}/*) w="${w#*/}" ;;  # "$REPO/x" or "$(dirname "$0")/x": relative to some dir
    \$*) return 0 ;;
    /*) return 1 ;;
  esac
  case "$w" in
    *\$*) return 0 ;;                              # "$DIR/bin/$t": named at run time
    build/* | */build/* | bin/*) return 0 ;;        # build products
  esac
  [ -e "$REPO/$w" ] || [ -n "$(find "$REPO/scripts" "$REPO/tests" "$REPO/bench" -path "*/$w" -print -quit 2>/dev/null)" ]
}

# Uses of a command not known, then those that are no project path either.
awk -F'\t' 'NR == FNR { known[$0] = 1; next } $2 == "command" && !($3 in known)' \
  "$WORK/known" "$WORK/found" > "$WORK/candidates"
unknown=0
while IFS=$'\t' read -r where kind word; do
  is_project_path "$word" && continue
  echo "  $where: '$word' is not a builtin, a function, a project script nor in scripts/required-commands"
  unknown=$((unknown + 1))
done < "$WORK/candidates"

# Listed commands that nothing runs any more are only reported: some are run indirectly (the
# compiler through cmake, mariadbd through a variable, env in a hook weft runs).
awk -F'\t' '$2 == "command" { print $3 }' "$WORK/found" | tr -d "\"'" | sort -u > "$WORK/used"
unused="$(grep -vxFf "$WORK/used" "$WORK/listed" | xargs)" || true
[ -z "$unused" ] || echo "note: listed but not seen run directly: $unused"

[ "$unknown" -eq 0 ] ||
  fail "$unknown command use(s) above: add each command with its Debian package to scripts/required-commands (or, if the scanner misread the line, fix tests/integration/used_commands.py)"
echo "all $(grep -c $'\tcommand\t' "$WORK/found") command uses in scripts/, tests/, bench/ and .ci/ are builtins, functions, project scripts or listed"
echo "PASS: $(basename "$0")"

# Shared by tests/clients/*.sh: runs a driver's scenario section by section, first directly against
# the primary (127.0.0.1:23306), then through a weft started by start_weft, and diffs the two
# transcripts. Any difference, or a scenario that fails through weft, fails the test.
#
# A test script defines:
#   DEFAULT_SECTIONS   sections that must pass today
#   PENDING_SECTIONS   sections for features of issue 3 that weft does not have yet
#   scenario PORT SECTION   prints the section's transcript on stdout (exit 0 on success)
#   MARKERS[SECTION]   optional: an extended regex the direct transcript must contain
#   CLEANUP_SQL        optional: run directly (database weft_test) before every run of a section,
#                      so that what a failed run left behind cannot change the next transcript
# and calls run_conformance (run_sections twice: accounts from the primary, then from [[users]]).
#
# Environment:
#   CLIENT_SECTIONS="a b"   run exactly these sections (default or pending)
#   CLIENT_WITH_PENDING=1   run the pending sections after the default ones
#   CLIENT_TRANSCRIPTS=DIR  keep every transcript (SECTION.direct, SECTION.weft, *.stderr)
#   CLIENT_TLS_CA           CA for the TLS sections (default: the sandbox's .sandbox/tls/ca.pem)
#   CLIENT_WEFT_TOML        extra [proxy] settings for the weft under test (default: TLS to clients
#                           with the sandbox's server certificate, as the backend offers it too)
source "$(dirname "${BASH_SOURCE[0]}")/../integration/lib.sh"

export CLIENTS_DIR="$REPO/tests/clients"
export REPO WORK APP_USER APP_PASSWORD PRIMARY_PORT
export CLIENT_TLS_CA="${CLIENT_TLS_CA:-$REPO/.sandbox/tls/ca.pem}"
SECTION_TIMEOUT="${SECTION_TIMEOUT:-120}"
SANDBOX_TLS="$REPO/.sandbox/tls"
CLIENT_WEFT_TOML="${CLIENT_WEFT_TOML-tls_cert = \"$SANDBOX_TLS/server-cert.pem\"
tls_key = \"$SANDBOX_TLS/server-key.pem\"}"
declare -A MARKERS=()

# The weft under test: like the backend, it offers TLS (so clients that use TLS when offered do so
# on both paths) and LOAD DATA LOCAL INFILE (weft's default).
start_client_weft() { start_weft "" "$CLIENT_WEFT_TOML" "${1:-}"; }

# The sections twice: through a weft that checks logins against the accounts it reads from the
# primary (no [[users]] at all), then through one with the application account's [[users]] entry.
run_conformance() {
  echo "accounts read from the primary (no [[users]]):"
  WEFT_NO_USERS=1 start_client_weft "[auth]
user = \"monitor\"
password = \"monitor-secret\""
  run_sections
  stop_weft
  echo "accounts from a [[users]] entry:"
  start_client_weft
  run_sections
}

# Milliseconds since the epoch.
now_ms() { date +%s%3N; }

# run_one PORT SECTION OUT: the scenario under a deadline; stdout to OUT, stderr to OUT.stderr.
run_one() {
  local port="$1" section="$2" outfile="$3" rc=0
  if [ -n "${CLEANUP_SQL:-}" ]; then
    direct -D weft_test -e "$CLEANUP_SQL" || fail "cleanup before section $section failed"
  fi
  timeout --kill-after=5 "$SECTION_TIMEOUT" bash -c 'scenario "$@"' scenario "$port" "$section" \
    > "$outfile" 2> "$outfile.stderr" || rc=$?
  return $rc
}

run_sections() {
  local sections section failed=() t0 t1 t2 drc wrc
  if [ -n "${CLIENT_SECTIONS:-}" ]; then
    sections="$CLIENT_SECTIONS"
  else
    sections="$DEFAULT_SECTIONS"
    [ "${CLIENT_WITH_PENDING:-0}" = 1 ] && sections="$sections $PENDING_SECTIONS"
  fi
  export -f scenario
  if [ -n "${CLIENT_TRANSCRIPTS:-}" ]; then mkdir -p "$CLIENT_TRANSCRIPTS"; fi
  for section in $sections; do
    local d="$WORK/$section.direct" w="$WORK/$section.weft"
    t0="$(now_ms)"; drc=0; run_one "$PRIMARY_PORT" "$section" "$d" || drc=$?
    t1="$(now_ms)"; wrc=0; run_one "$WEFT_PORT" "$section" "$w" || wrc=$?
    t2="$(now_ms)"
    if [ -n "${CLIENT_TRANSCRIPTS:-}" ]; then cp "$d" "$d.stderr" "$w" "$w.stderr" "$CLIENT_TRANSCRIPTS/"; fi
    # The direct run is the reference: it must succeed and say something.
    if [ "$drc" -ne 0 ] || ! grep -a -q -x "== end $section" "$d"; then
      tail -n 20 "$d" "$d.stderr" >&2
      fail "section $section failed DIRECTLY (exit $drc): a scenario or sandbox problem, not weft's"
    fi
    [ "$(wc -l < "$d")" -ge 4 ] || fail "section $section: the direct transcript is trivial ($(wc -l < "$d") lines)"
    if [ -n "${MARKERS[$section]:-}" ] && ! grep -a -q -E -- "${MARKERS[$section]}" "$d"; then
      fail "section $section: the direct transcript lacks the expected marker /${MARKERS[$section]}/"
    fi
    if [ "$wrc" -eq 0 ] && cmp -s "$d" "$w"; then
      printf '  %-18s same  (%4d lines; direct %5d ms, weft %5d ms)\n' "$section" "$(wc -l < "$d")" \
        $((t1 - t0)) $((t2 - t1))
    else
      printf '  %-18s DIFFERS through weft (exit %d; direct %d ms, weft %d ms):\n' "$section" "$wrc" \
        $((t1 - t0)) $((t2 - t1))
      { diff -a -u --label "$section.direct" --label "$section.weft" "$d" "$w" || true; } | head -n 60 | sed 's/^/    /'
      echo "    --- end of the transcript through weft:"
      tail -n 3 "$w" | cut -c1-300 | sed 's/^/    /'
      if [ -s "$w.stderr" ]; then
        echo "    --- stderr through weft:"
        tail -n 8 "$w.stderr" | cut -c1-300 | sed 's/^/    /'
      fi
      failed+=("$section")
    fi
    weft_alive || fail "weft died during section $section"
  done
  [ ${#failed[@]} -eq 0 ] || fail "sections that differ through weft: ${failed[*]}"
}

"""A client write loop through weft for the HA drills (PyMySQL, a real driver; run with
/usr/bin/python3). Inserts numbered rows with autocommit until the stop file appears or the time
limit passes; appends every acknowledged id to the ledger; reconnects after errors.
Prints one JSON line: {"acked": N, "errors": N, "error_samples": [...], "longest_gap_ms": N,
"longest_gap_ended_at_ms": N, "outage_ms": N, "attempted": N, "duplicates": N}, where
longest_gap_ms is the longest time between two acknowledged writes (ending that long after the
start), outage_ms the time from the first failed write to the next acknowledged one, attempted
every id tried once and duplicates the ids refused as already there (counted apart from errors).

usage: write_loop.py PORT TABLE LEDGER STOPFILE MAX_SECONDS [--value-column COL] [--attempts FILE]
                     [--first-id N]
  default: INSERT INTO TABLE (id, written_at) VALUES (i, NOW(6));
  --value-column COL: INSERT INTO TABLE (id, COL) VALUES (i, i) (a table keyed by id, e.g. sharded);
  --attempts FILE: one line per attempted id, "id<TAB>start_ms<TAB>end_ms<TAB>outcome<TAB>error"
    (ms since the loop started; outcome ok, error or duplicate; error empty when ok), written as
    each statement ends, so every attempt is either acknowledged (in the ledger) or failed;
  --first-id N: ids N, N+1, ... (default 1).
"""
import argparse
import json
import os
import time

import pymysql

parser = argparse.ArgumentParser()
parser.add_argument('port')
parser.add_argument('table')
parser.add_argument('ledger')
parser.add_argument('stop_file')
parser.add_argument('max_seconds', type=float)
parser.add_argument('--value-column')
parser.add_argument('--attempts')
parser.add_argument('--first-id', type=int, default=1)
args = parser.parse_args()
port, table, ledger_path, stop_file, max_seconds = args.port, args.table, args.ledger, args.stop_file, args.max_seconds
if args.value_column:
    statement = f'INSERT INTO {table} (id, {args.value_column}) VALUES (%s, %s)'
    def params(i): return (i, i)
else:
    statement = f'INSERT INTO {table} (id, written_at) VALUES (%s, NOW(6))'
    def params(i): return (i,)


def connect():
    return pymysql.connect(host='127.0.0.1', port=int(port), user='app', password='app-secret', autocommit=True,
                           connect_timeout=2, read_timeout=10, write_timeout=10)


acked = errors = duplicates = attempted = 0
samples = []
longest_gap = 0.0
gap_ended_at = 0.0
outage = 0.0
first_failure = None
last_ok = started = time.monotonic()
deadline = last_ok + max_seconds
conn = None
next_id = args.first_id
attempts = open(args.attempts, 'a', buffering=1) if args.attempts else None


def record(i, t0, outcome, error=''):
    if attempts is not None:
        ms = lambda t: int((t - started) * 1000)
        error = ' '.join(error.split())[:300]
        attempts.write(f'{i}\t{ms(t0)}\t{ms(time.monotonic())}\t{outcome}\t{error}\n')


with open(ledger_path, 'a', buffering=1) as ledger:
    while time.monotonic() < deadline and not os.path.exists(stop_file):
        attempted += 1
        t0 = time.monotonic()
        try:
            if conn is None:
                conn = connect()
            with conn.cursor() as c:
                c.execute(statement, params(next_id))
            ledger.write(f'{next_id}\n')
            record(next_id, t0, 'ok')
            now = time.monotonic()
            if now - last_ok > longest_gap:
                longest_gap, gap_ended_at = now - last_ok, now - started
            if first_failure is not None:
                outage = max(outage, now - first_failure)
                first_failure = None
            last_ok = now
            acked += 1
            next_id += 1
        except pymysql.err.IntegrityError as e:
            record(next_id, t0, 'duplicate', str(e))
            duplicates += 1
            next_id += 1  # the row made it before the connection broke: it is there, not acknowledged
        except Exception as e:  # any failure of the write counts; the loop goes on like an application
            record(next_id, t0, 'error', str(e))
            errors += 1
            if first_failure is None:
                first_failure = time.monotonic()
            if len(samples) < 5:
                samples.append(str(e)[:200])
            try:
                if conn is not None:
                    conn.close()
            except Exception:
                pass
            conn = None
            next_id += 1  # never reuse an id whose fate is unknown
            time.sleep(0.02)

print(json.dumps({'acked': acked, 'errors': errors, 'error_samples': samples,
                  'longest_gap_ms': int(longest_gap * 1000),
                  'longest_gap_ended_at_ms': int(gap_ended_at * 1000), 'outage_ms': int(outage * 1000),
                  'attempted': attempted, 'duplicates': duplicates}))

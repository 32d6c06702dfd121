"""A client write loop through weft for the HA drills (PyMySQL, a real driver; run with
/usr/bin/python3). Inserts numbered rows with autocommit until the stop file appears or the time
limit passes; appends every acknowledged id to the ledger; reconnects after errors.
Prints one JSON line: {"acked": N, "errors": N, "error_samples": [...], "longest_gap_ms": N,
"longest_gap_ended_at_ms": N, "outage_ms": N}, where longest_gap_ms is the longest time between
two acknowledged writes (ending that long after the start) and outage_ms the time from the first failed write to the next acknowledged one.

usage: write_loop.py PORT TABLE LEDGER STOPFILE MAX_SECONDS
"""
import json
import os
import sys
import time

import pymysql

port, table, ledger_path, stop_file, max_seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])


def connect():
    return pymysql.connect(host='127.0.0.1', port=int(port), user='app', password='app-secret', autocommit=True,
                           connect_timeout=2, read_timeout=10, write_timeout=10)


acked = errors = 0
samples = []
longest_gap = 0.0
gap_ended_at = 0.0
outage = 0.0
first_failure = None
last_ok = started = time.monotonic()
deadline = last_ok + max_seconds
conn = None
next_id = 1
with open(ledger_path, 'a', buffering=1) as ledger:
    while time.monotonic() < deadline and not os.path.exists(stop_file):
        try:
            if conn is None:
                conn = connect()
            with conn.cursor() as c:
                c.execute(f'INSERT INTO {table} (id, written_at) VALUES (%s, NOW(6))', (next_id,))
            ledger.write(f'{next_id}\n')
            now = time.monotonic()
            if now - last_ok > longest_gap:
                longest_gap, gap_ended_at = now - last_ok, now - started
            if first_failure is not None:
                outage = max(outage, now - first_failure)
                first_failure = None
            last_ok = now
            acked += 1
            next_id += 1
        except pymysql.err.IntegrityError:
            next_id += 1  # the row made it before the connection broke: it is there, not acknowledged
        except Exception as e:  # any failure of the write counts; the loop goes on like an application
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
                  'longest_gap_ended_at_ms': int(gap_ended_at * 1000), 'outage_ms': int(outage * 1000)}))

#!/usr/bin/env python3
"""Prepared statements over several shards, compared byte for byte (run by sharding_corpus.sh
after the text corpus, on the same rows).

Usage: sharding_prepared.py WEFT_PORT DIRECT_PORT CORPUS.sql CORPUS.refused

1. Every single SELECT of the corpus that weft answers in text is prepared and executed
   (COM_STMT_PREPARE, COM_STMT_EXECUTE) through weft and directly: the column definitions and
   the binary rows must be the same bytes (in order where the statement orders them).
2. Statements with placeholders bound to values of several shards: reads merged across shards,
   a multi-row INSERT split over them, a hinted DELETE on every shard; the same OK (affected
   rows) and afterwards the same rows.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(__file__))
import sharding_corpus  # noqa: E402
import wire_client  # noqa: E402

BOUND = [  # (statement, values, ordered)
    ('SELECT * FROM c_users WHERE id IN (?, ?, ?, ?) ORDER BY id', [1, 2, 3, 4], True),
    ('SELECT id, name, created FROM c_users WHERE created > ? ORDER BY created, id LIMIT 7',
     ['2020-01-01 00:00:00'], True),
    ('SELECT COUNT(*), SUM(score), MIN(balance), MAX(created) FROM c_users WHERE score > ?', [10], True),
    ('SELECT score, COUNT(*), AVG(balance) FROM c_users WHERE id > ? GROUP BY score ORDER BY score', [5], True),
    ('SELECT * FROM c_orders WHERE order_id BETWEEN ? AND ? ORDER BY order_id', [100, 6000], True),
    ('SELECT id, region, pop FROM c_regions WHERE region IN (?, ?) ORDER BY id', ['eu', 'us'], True),
    ('SELECT id, at FROM c_events WHERE at BETWEEN ? AND ? ORDER BY at, id', ['1999-01-01', '2027-01-01'], True),
    ('SELECT DISTINCT weight FROM c_events WHERE weight > ?', [3], False),
    ('SELECT name, tag FROM c_users WHERE name = ? OR tag = ?', ['x', None], False),
    ('INSERT INTO c_users (id, name, city, score) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)',
     [9001, 'p1', 'Oslo', 5, 9002, "o'p\\2", None, 6, 9003, 'p3', 'Rome', None], True),
    ('SELECT * FROM c_users WHERE id >= ? ORDER BY id', [9000], True),
    ('/* weft: shards=all */ UPDATE c_users SET score = score + ? WHERE id >= ?', [100, 9000], True),
    ('SELECT * FROM c_users WHERE id >= ? ORDER BY id', [9000], True),
    ('/* weft: shards=all */ DELETE FROM c_users WHERE id >= ?', [9000], True),
    ('SELECT COUNT(*) FROM c_users WHERE id >= ?', [9000], True),
]


def answer(conn):
    """('ok', affected), ('err', (code, state, message)) or ('rows', column definitions, rows)."""
    _, first = conn.read_packet()
    if first[0] == 0xFF:
        return ('err', wire_client.parse_err(first))
    if first[0] == 0x00:
        return ('ok', first[1] if first[1] < 251 else struct.unpack('<H', first[2:4])[0])
    columns = [conn.read_packet()[1] for _ in range(first[0])]
    conn.read_packet()  # EOF
    rows = []
    while True:
        _, p = conn.read_packet()
        if p[0] == 0xFE and len(p) < 9:
            return ('rows', columns, rows)
        rows.append(p)


def execute(conn, sql, values):
    """Prepare, execute once, close: the execute's answer (or the prepare's error)."""
    try:
        stmt, _, _ = wire_client.prepare(conn, sql)
    except wire_client.ServerError as e:
        return ('err', e.args[0])
    conn.send(wire_client.frame(wire_client.execute_body(stmt, values), 0))
    got = answer(conn)
    conn.send(wire_client.frame(b'\x19' + struct.pack('<I', stmt), 0))  # COM_STMT_CLOSE: no answer
    return got


def comparable(got, ordered):
    if got[0] == 'rows' and not ordered:
        return ('rows', got[1], sorted(got[2]))
    return got


def connect(port):
    conn = wire_client.Conn(port)
    resp = conn.login('app', 'app-secret', 'weft_test')
    assert resp[0] == 0, 'login to %d failed: %r' % (port, resp)
    return conn


def corpus_selects(corpus_path, refused_path):
    listed = sharding_corpus.read_refused(refused_path)
    for s in sharding_corpus.read_corpus(corpus_path):
        if s.line in listed or len(s.parts) != 1 or sharding_corpus.first_word(s.sql) != 'SELECT':
            continue
        yield s


def main(weft_port, direct_port, corpus_path, refused_path):
    weft, direct = connect(weft_port), connect(direct_port)
    problems, compared = [], 0
    cases = [(s.sql, [], s.ordered, 'line %d' % s.line) for s in corpus_selects(corpus_path, refused_path)]
    cases += [(sql, values, ordered, 'bound') for sql, values, ordered in BOUND]
    for sql, values, ordered, where in cases:
        a = comparable(execute(weft, sql, values), ordered)
        b = comparable(execute(direct, sql, values), ordered)
        if a != b:
            problems.append('%s: %s %r\n    through weft: %r\n    directly:     %r' % (where, sql, values, a, b))
        compared += 1
    for p in problems:
        print('  ' + p[:2000], file=sys.stderr)
    print('prepared: %d statements executed through weft and directly, %d differ' % (compared, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]))

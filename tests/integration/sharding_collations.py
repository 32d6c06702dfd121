#!/usr/bin/env python3
"""String shard keys beyond ASCII (run by sharding_collations.sh, which makes the maps).

Arguments: weft's proxy port, the unsharded server's port, shard1's and shard2's primary ports.
The same random keys (Latin letters with accents, ß, ligatures, Greek, Cyrillic, Thai, CJK,
combining accents, trailing spaces) go through weft and directly into tables of several
collations; the rows must be the same, and every key the collation finds equal to one of them
('ÉMILE', 'émile ', 'e\u0301mile') must find the same rows through weft, text and prepared, as
directly. Keys weft must route to one shard are checked with EXPLAIN ROUTE.
"""
import random
import sys
import time
import unicodedata

import pymysql

sys.path.insert(0, __import__('os').path.dirname(__file__))
import wire_client  # noqa: E402

WEFT, DIRECT, SHARD1, SHARD2 = (int(a) for a in sys.argv[1:5])
APP = dict(user='app', password='app-secret', database='weft_test', autocommit=True)
ROOT = dict(user='root', password='sandbox-root', database='weft_test', autocommit=True)
TABLES = {  # table: (character set, collation, folded by weft)
    'names_u': ('utf8mb4', 'utf8mb4_unicode_ci', True),
    'names_5': ('utf8mb4', 'utf8mb4_unicode_520_ci', True),
    'names_g': ('utf8mb4', 'utf8mb4_general_ci', True),
    'names_b': ('utf8mb4', 'utf8mb4_bin', True),
    'names_l': ('latin1', 'latin1_swedish_ci', True),
    'names_cz': ('utf8mb4', 'utf8mb4_czech_ci', False),
}
LETTERS = list('aAeEiIoOsSyYüÜéÉèêëÅåÄäÖöøØñÑçÇßæÆœŒΣσςαΑжЖйЙ中ไเกabz') + ['e\u0301', 'Ch', 'ch', 'll']
LATIN1_LETTERS = [c for c in LETTERS if all(ord(x) < 256 for x in c)]
failures = []
rng = random.Random(20261203)


def connect(port, charset='utf8mb4', who=APP):
    return pymysql.connect(host='127.0.0.1', port=port, charset=charset, **who)


def check(ok, what):
    if not ok:
        failures.append(what)
        print('FAIL:', what, file=sys.stderr)


def make_keys(letters, n):
    keys = []
    for _ in range(n):
        key = ''.join(rng.choice(letters) for _ in range(rng.randint(1, 5)))
        keys.append(key + (' ' * rng.randint(1, 2) if rng.random() < 0.15 else ''))
    return keys


def variants(key, latin1):
    forms = {key, key.upper(), key.lower(), key.swapcase(), key.rstrip() + '  ', key.casefold()}
    if not latin1:
        forms |= {unicodedata.normalize('NFD', key), unicodedata.normalize('NFC', key)}
    return sorted(f for f in forms if not latin1 or all(ord(c) < 256 for c in f))


def run(conn, sql, args=None):
    with conn.cursor() as c:
        affected = c.execute(sql, args)
        return affected, c.fetchall()


def shards_of(conn, sql, args):
    """How many shards EXPLAIN ROUTE (through weft) sends a statement to."""
    _, rows = run(conn, 'EXPLAIN ROUTE ' + sql, args)
    return sum(1 for r in rows if str(r[0]).isdigit())


def create_tables():
    for conn in (connect(WEFT), connect(DIRECT)):
        for table, (charset, collation, _) in TABLES.items():
            run(conn, f'CREATE TABLE {table} (name VARCHAR(40) CHARACTER SET {charset} COLLATE {collation} NOT NULL '
                      'PRIMARY KEY, v INT NOT NULL)')
    names = ', '.join(f"'{t}'" for t in TABLES)
    for port in (SHARD1, SHARD2):  # the global group's DDL reaches the shards by replication
        for _ in range(200):
            if run(connect(port, who=ROOT), 'SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '
                   f"'weft_test' AND TABLE_NAME IN ({names})")[1][0][0] == len(TABLES):
                break
            time.sleep(0.1)
        else:
            check(False, f'the tables did not reach shard {port}')


def load(table, keys, weft, direct):
    """The same INSERT IGNOREs (40 rows each, split over the shards by weft) on both sides."""
    for at in range(0, len(keys), 40):
        rows = ', '.join(['(%s, %s)'] * len(keys[at:at + 40]))
        args = [x for i, k in enumerate(keys[at:at + 40]) for x in (k, at + i)]
        a = run(weft, f'INSERT IGNORE INTO {table} (name, v) VALUES {rows}', args)[0]
        b = run(direct, f'INSERT IGNORE INTO {table} (name, v) VALUES {rows}', args)[0]
        check(a == b, f'{table}: rows {at}..: weft inserted {a}, the server {b}')


def same_rows(table, weft, direct):
    a = run(weft, f'SELECT name, v FROM {table} ORDER BY v')[1]
    b = run(direct, f'SELECT name, v FROM {table} ORDER BY v')[1]
    check(a == b, f'{table}: {len(a)} rows through weft, {len(b)} directly (or they differ)')


def on_one_shard(table, charset):
    """Each stored key is on one shard only, and no key on one shard equals one on the other."""
    s1, s2 = connect(SHARD1, charset, ROOT), connect(SHARD2, charset, ROOT)
    for name, in run(s1, f'SELECT name FROM {table}')[1]:
        check(not run(s2, f'SELECT 1 FROM {table} WHERE name = %s', [name])[1],
              f'{table}: {name!r} on shard1 equals a key on shard2')


def probe_keys(table, keys, weft, direct, latin1, folded):
    """Every variant of every key finds the same rows; where weft folds, on one shard."""
    for key in keys:
        for form in variants(key, latin1):
            sql = f'SELECT v FROM {table} WHERE name = %s ORDER BY v'
            a, b = run(weft, sql, [form])[1], run(direct, sql, [form])[1]
            check(a == b, f'{table}: {form!r} found {a} through weft, {b} directly')
        if any(ord(c) > 127 for c in key):
            n = shards_of(weft, f'SELECT v FROM {table} WHERE name = %s', [key])
            check(n == (1 if folded else 2), f'{table}: {key!r} goes to {n} shards')


def updates_by_variant(table, keys, weft, direct, latin1):
    for key in keys:
        form = rng.choice(variants(key, latin1))
        sql = f'UPDATE {table} SET v = v + 100000 WHERE name = %s'
        a, b = run(weft, sql, [form])[0], run(direct, sql, [form])[0]
        check(a == b, f'{table}: UPDATE by {form!r} changed {a} rows through weft, {b} directly')


def refused(conn, sql, args, reason):
    try:
        run(conn, sql, args)
    except pymysql.err.MySQLError as e:
        check(e.args[0] == 9017 and reason in e.args[1], f'{sql!r} refused otherwise: {e.args}')
        return
    check(False, f'{sql!r} with {args} was not refused ({reason})')


def folded_tables():
    for table, (charset, collation, folded) in TABLES.items():
        if not folded:
            continue
        latin1 = charset == 'latin1'
        weft, direct = connect(WEFT, charset), connect(DIRECT, charset)
        keys = make_keys(LATIN1_LETTERS if latin1 else LETTERS, 240)
        load(table, keys, weft, direct)
        same_rows(table, weft, direct)
        on_one_shard(table, charset)
        probe_keys(table, keys[:60], weft, direct, latin1, True)
        updates_by_variant(table, keys[60:120], weft, direct, latin1)
        same_rows(table, weft, direct)
        print(f'{table} ({collation}): {len(keys)} keys, identical through weft')


def unfolded_collation():
    """czech_ci ('ch' is one letter) is not folded: ASCII keys still place, others scatter or refuse."""
    weft, direct = connect(WEFT), connect(DIRECT)
    ascii_keys = make_keys(list('abcdhCHxyz'), 80)
    load('names_cz', ascii_keys, weft, direct)
    refused(weft, 'INSERT INTO names_cz (name, v) VALUES (%s, 1)', ['čaj'], 'collation utf8mb4_czech_ci')
    refused(weft, 'UPDATE names_cz SET v = 2 WHERE name = %s', ['čaj'], 'collation utf8mb4_czech_ci')
    probe_keys('names_cz', ['čaj', 'ŘÍJEN'] + ascii_keys[:20], weft, direct, False, False)
    same_rows('names_cz', weft, direct)


def connection_charsets():
    """A utf8mb4 connection's keys do not place in a latin1 column, until SET NAMES latin1."""
    weft, direct = connect(WEFT), connect(DIRECT)
    refused(weft, 'INSERT INTO names_l (name, v) VALUES (%s, 1)', ['Ärlig'], 'is not the column')
    check(shards_of(weft, 'SELECT v FROM names_l WHERE name = %s', ['Ärlig']) == 2, 'utf8mb4 key on latin1: scatter')
    run(weft, 'SET NAMES latin1')
    weft.encoding = direct.encoding = 'latin1'
    run(direct, 'SET NAMES latin1')
    check(shards_of(weft, 'SELECT v FROM names_l WHERE name = %s', ['Ärlig']) == 1, 'after SET NAMES latin1: one shard')
    a = run(weft, 'INSERT INTO names_l (name, v) VALUES (%s, -1)', ['Ärlig'])[0]
    b = run(direct, 'INSERT INTO names_l (name, v) VALUES (%s, -1)', ['Ärlig'])[0]
    check(a == b == 1, f'INSERT after SET NAMES latin1: {a} through weft, {b} directly')
    same_rows('names_l', weft, direct)


def prepared_keys():
    """COM_STMT_EXECUTE with the key bound: routed by the folded key, the same rows as directly."""
    sides = []
    for port in (WEFT, DIRECT):
        conn = wire_client.Conn(port)
        conn.login('app', 'app-secret', 'weft_test')
        stmt, _, _ = wire_client.prepare(conn, 'SELECT name, v FROM names_u WHERE name = ? ORDER BY v')
        sides.append((conn, stmt))
    keys = [r[0] for r in run(connect(DIRECT), 'SELECT name FROM names_u ORDER BY v LIMIT 40')[1]]
    for key in keys:
        for form in variants(key, False):
            answers = []
            for conn, stmt in sides:
                conn.send(wire_client.frame(wire_client.execute_body(stmt, [form]), 0))
                answers.append(conn.result_rows())
            check(answers[0] == answers[1], f'prepared names_u: {form!r} found {answers[0]} vs {answers[1]}')


create_tables()
folded_tables()
unfolded_collation()
connection_charsets()
prepared_keys()
if failures:
    print(f'{len(failures)} failures', file=sys.stderr)
    sys.exit(1)
print('all keys beyond ASCII: identical through weft and directly')

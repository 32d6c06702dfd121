"""The differential sharding test's driver (tests/integration/sharding_corpus.sh): the schema and
the rows (deterministic: a fixed seed), the corpus run through weft and directly on one unsharded
server with the answers compared, and the final placement of every row. Standard library only;
the client is the mariadb CLI, one process per statement (reads between two writes run in
parallel, writes one at a time, in the corpus's order).

Usage: /usr/bin/python3 sharding_corpus.py schema          prints the CREATE TABLE statements
       /usr/bin/python3 sharding_corpus.py data            prints one single-row INSERT per row
       /usr/bin/python3 sharding_corpus.py run WEFT_PORT DIRECT_PORT CORPUS.sql CORPUS.refused
       /usr/bin/python3 sharding_corpus.py placement ADMIN_PORT DIRECT_PORT GLOBAL SHARD1 SHARD2
       /usr/bin/python3 sharding_corpus.py sync            waits until the layout's replicas caught up

The corpus: one statement per line (a line may hold several statements separated by `;`, run in
one session: a transaction); blank lines and lines starting with `-- ` are not statements. The
refusals file: `LINE<TAB>CODE` per statement weft refuses today. `run` fails (exit 1) when weft
answers differently from the direct server, refuses a statement not listed (or with another
code), answers a listed one, or when a statement fails directly (a mistake in the corpus).
"""
import concurrent.futures
import datetime
import random
import re
import subprocess
import sys
import time

APP = ('app', 'app-secret')
ROOT = ('root', 'sandbox-root')
DB = 'weft_test'
# The sharded layout's replication, in the order a write travels: the global primary to its
# replica and to the shard primaries, then each shard primary to its replica.
SYNC_STEPS = [[(23320, 23321), (23320, 23322), (23320, 23324)], [(23322, 23323), (23324, 23325)]]

# ---- Schema and rows -------------------------------------------------------------------------

SCHEMA = [
    "CREATE TABLE c_users (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, city VARCHAR(20) NULL,"
    " score INT NULL, balance DECIMAL(10,2) NULL, created DATETIME NULL,"
    " tag VARCHAR(10) COLLATE utf8mb4_general_ci NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE c_orders (order_id BIGINT PRIMARY KEY, user_id INT NULL, amount DECIMAL(10,2) NULL,"
    " status VARCHAR(12) NULL, qty INT NOT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE c_events (id INT PRIMARY KEY, at DATETIME NULL, kind VARCHAR(10) NULL, user_id INT NULL,"
    " weight INT NULL, KEY (at)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
    "CREATE TABLE c_regions (id INT PRIMARY KEY, region VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL,"
    " name VARCHAR(30) NULL, pop INT NULL) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci",
    "CREATE TABLE c_plain (city VARCHAR(20) PRIMARY KEY, country VARCHAR(20) NOT NULL,"
    " region VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin NULL, tier INT NULL)"
    " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
]
TABLES = ['c_users', 'c_orders', 'c_events', 'c_regions', 'c_plain']
KEYS = {'c_users': 'id', 'c_orders': 'order_id', 'c_events': 'at', 'c_regions': 'region'}


def sql_value(v):
    if v is None:
        return 'NULL'
    if isinstance(v, int):
        return str(v)
    s = str(v).replace('\\', '\\\\').replace("'", "''")
    return "'" + s + "'"


def insert(table, columns, values):
    return 'INSERT INTO %s (%s) VALUES (%s);' % (table, ', '.join(columns), ', '.join(sql_value(v) for v in values))


def maybe(rng, p, value):
    return None if rng.random() < p else value


def money(rng, low, high):
    cents = rng.randint(low, high)
    sign = '-' if cents < 0 else ''
    return '%s%d.%02d' % (sign, abs(cents) // 100, abs(cents) % 100)


def when(start, seconds):
    return (start + datetime.timedelta(seconds=seconds)).strftime('%Y-%m-%d %H:%M:%S')


def rows():
    """Every row as an INSERT statement, in a fixed order (seed 16: issue 16)."""
    rng = random.Random(16)
    out = []
    cities = ['Oslo', 'Paris', 'Lima', 'Kyiv', 'Rome', 'Tokyo', 'Cairo', None]
    special = {5: "O'Brien", 6: 'Zoë', 15: 'back\\slash', 16: 'tab\there', 17: '', 18: 'NULL'}
    epoch = datetime.datetime(2024, 1, 1)
    for i in range(1, 301):
        out.append(insert('c_users', ['id', 'name', 'city', 'score', 'balance', 'created', 'tag'], [
            i, special.get(i, 'user %03d' % i), rng.choice(cities),
            maybe(rng, 0.1, rng.randint(0, 100)), maybe(rng, 0.08, money(rng, -50000, 500000)),
            maybe(rng, 0.05, when(epoch, 3600 * rng.randint(0, 400 * 24))),
            rng.choice(['a', 'A', 'b', 'B', 'c', 'b ', None])]))
    order_ids = sorted({0, 1, 4998, 4999, 5000, 5001} | set(rng.sample(range(2, 4998), 197)) |
                       set(rng.sample(range(5002, 20000), 197)))
    for oid in order_ids:
        out.append(insert('c_orders', ['order_id', 'user_id', 'amount', 'status', 'qty'], [
            oid, maybe(rng, 0.05, rng.randint(1, 300)), maybe(rng, 0.05, money(rng, 100, 100000)),
            rng.choice(['new', 'paid', 'shipped', 'cancelled', None]), rng.randint(1, 9)]))
    y2000, y2026 = datetime.datetime(2000, 1, 1), datetime.datetime(2026, 6, 1)
    ats = ['2000-01-01 00:00:00', '2026-05-31 23:59:59', '2026-06-01 00:00:00', '2026-06-01 00:00:01']
    ats += [when(y2000, rng.randint(0, int((y2026 - y2000).total_seconds()) - 1)) for _ in range(96)]
    ats += [when(y2026, rng.randint(0, 4 * 365 * 86400)) for _ in range(94)]
    ats += [ats[10], ats[11], ats[150], ats[150], ats[3], ats[0]]  # the same instant on several rows
    for i, at in enumerate(ats, 1):
        out.append(insert('c_events', ['id', 'at', 'kind', 'user_id', 'weight'], [
            i, at, rng.choice(['click', 'view', 'buy', None]), maybe(rng, 0.1, rng.randint(1, 300)),
            maybe(rng, 0.1, rng.randint(-5, 50))]))
    for i in range(1, 41):
        region = rng.choice(['eu', 'uk', 'us', 'ca'])
        out.append(insert('c_regions', ['id', 'region', 'name', 'pop'], [
            i, region, maybe(rng, 0.1, '%s-%02d' % (region, i)), maybe(rng, 0.1, rng.randint(1, 1000))]))
    plain = [('Oslo', 'Norway', 'eu', 1), ('Paris', 'France', 'eu', 2), ('Lima', 'Peru', None, 3),
             ('Kyiv', 'Ukraine', 'eu', 2), ('Rome', 'Italy', 'eu', None), ('Tokyo', 'Japan', None, 1),
             ('London', 'UK', 'uk', 1), ('Toronto', 'Canada', 'ca', 2), ('Boston', 'USA', 'us', 3)]
    for p in plain:  # Cairo has users but no row here (outer joins)
        out.append(insert('c_plain', ['city', 'country', 'region', 'tier'], list(p)))
    return out


# ---- The mariadb CLI -------------------------------------------------------------------------

def mariadb(port, sql, account=APP, db=DB, timeout=60):
    """(exit code, stdout, stderr) of the CLI in batch mode with column names, comments kept."""
    args = ["mariadb", '--protocol=TCP', '-h127.0.0.1', '-P%d' % port, '-u' + account[0], '-p' + account[1],
            '--skip-ssl', '-B', '--comments', '--default-character-set=utf8mb4']
    if db:
        args += ['-D', db]
    try:
        p = subprocess.run(args + ['-e', sql], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, '', 'timed out after %d s' % timeout
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')


def value_of(port, sql, account=ROOT):
    rc, out, err = mariadb(port, sql, account, db=None)
    if rc != 0:
        raise RuntimeError('127.0.0.1:%d: %s: %s' % (port, sql, err.strip()))
    return out.splitlines()[1] if len(out.splitlines()) > 1 else ''


def sync_replicas():
    """Waits until every replica of the sharded layout applied what its source has, so that a
    read weft sends to a replica sees the corpus's previous writes (each statement is a new
    session: read-your-writes cannot help across sessions)."""
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for step in SYNC_STEPS:
            sources = {s for s, _ in step}
            pos = dict(zip(sources, pool.map(lambda s: value_of(s, 'SELECT @@gtid_binlog_pos'), sources)))
            waits = pool.map(lambda sr: (sr, value_of(sr[1], "SELECT MASTER_GTID_WAIT('%s', 20)" % pos[sr[0]])), step)
            for (source, replica), got in waits:
                if got != '0':
                    raise RuntimeError('replica %d did not catch up with %d (%s)' % (replica, source, pos[source]))


# ---- The corpus ------------------------------------------------------------------------------

WRITE_WORDS = {'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'CREATE', 'DROP', 'ALTER', 'TRUNCATE', 'RENAME',
               'LOAD', 'CALL', 'GRANT', 'REVOKE', 'LOCK'}
TX_WORDS = {'BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'XA'}


def scan(sql):
    """The text split into statements at `;` and whether the (last) statement has ORDER BY at its
    outermost level, outside strings, quoted names, comments and parentheses."""
    statements, start, depth, i, order_by = [], 0, 0, 0, False
    upper = sql.upper()
    while i < len(sql):
        c = sql[i]
        if c in '\'"`':
            j = i + 1
            while j < len(sql) and sql[j] != c:
                j += 2 if sql[j] == '\\' and c != '`' else 1
            i = j + 1
            continue
        if sql.startswith('/*', i):
            end = sql.find('*/', i + 2)
            i = len(sql) if end < 0 else end + 2
            continue
        if c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
        elif c == ';' and depth == 0:
            statements.append(sql[start:i].strip())
            start, order_by = i + 1, False
        elif depth == 0 and re.match(r'ORDER\s+BY\b', upper[i:]) and (i == 0 or not upper[i - 1].isalnum()):
            order_by = True
        i += 1
    statements.append(sql[start:].strip())
    return [s for s in statements if s], order_by


def first_word(statement):
    text = re.sub(r'^(\s|/\*.*?\*/)*', '', statement, flags=re.S)
    m = re.match(r'[A-Za-z]+', text)
    return m.group(0).upper() if m else ''


class Statement:
    def __init__(self, line, sql):
        self.line, self.sql = line, sql
        self.parts, self.ordered = scan(sql)
        words = [first_word(p) for p in self.parts]
        self.write = any(w in WRITE_WORDS for w in words)
        self.transaction = any(w in TX_WORDS for w in words)
        if len(self.parts) > 1:
            self.ordered = True  # several results: compared as printed
        self.weft = self.direct = None  # (rc, out, err)


def comparable(out, ordered):
    lines = out.splitlines()
    if ordered or len(lines) < 3:
        return lines
    return lines[:1] + sorted(lines[1:])  # the column names, then the rows in any order


ERROR = re.compile(r'^ERROR (\d+) \(([0-9A-Z]{5})\)(?: at line \d+)?: (.*)$', re.M)


def error_of(result):
    m = ERROR.search(result[2])
    return (m.group(1), m.group(3)) if m else ('?', result[2].strip() or 'exit code %d' % result[0])


def read_corpus(path):
    out = []
    with open(path, encoding='utf-8') as f:
        for n, text in enumerate(f, 1):
            text = text.rstrip('\n')
            if not text.strip() or text.startswith('-- '):
                continue
            out.append(Statement(n, text.strip().rstrip(';')))
    return out


def read_refused(path):
    listed = {}
    with open(path, encoding='utf-8') as f:
        for n, text in enumerate(f, 1):
            text = text.strip()
            if not text or text.startswith('#'):
                continue
            m = re.match(r'^(\d+)\t(\d+)$', text)
            if not m:
                raise SystemExit('%s:%d: not "LINE<TAB>CODE": %r' % (path, n, text))
            listed[int(m.group(1))] = m.group(2)
    return listed


def indent(text, limit=40):
    lines = text.splitlines() or ['(nothing)']
    if len(lines) > limit:
        lines = lines[:limit] + ['... (%d lines in all)' % len(lines)]
    return '\n'.join('      | ' + l for l in lines)


def run(weft_port, direct_port, corpus_path, refused_path):
    started = time.time()
    corpus = read_corpus(corpus_path)
    listed = read_refused(refused_path)
    lines = {s.line for s in corpus}
    problems = []
    for line in sorted(set(listed) - lines):
        problems.append('%s: line %d is listed but holds no statement' % (refused_path, line))

    def read_both(s):
        s.weft = mariadb(weft_port, s.sql)
        s.direct = mariadb(direct_port, s.sql)

    def write_both(s):
        s.weft = mariadb(weft_port, s.sql)
        if s.weft[0] == 0:
            s.direct = mariadb(direct_port, s.sql)
            sync_replicas()
        elif not s.transaction:
            # Refused through weft, so not applied directly either: only checked to be valid SQL
            # there, in a transaction rolled back.
            s.direct = mariadb(direct_port, 'START TRANSACTION; %s; ROLLBACK' % s.sql)
        else:
            s.direct = (0, '', '')

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        batch = []
        for s in corpus + [None]:
            if s is None or s.write:
                list(pool.map(read_both, batch))  # reads between two writes, in parallel
                batch = []
                if s is not None:
                    write_both(s)
            else:
                batch.append(s)

    answered, refused = 0, []
    for s in corpus:
        where = 'line %d: %s' % (s.line, s.sql)
        if s.direct[0] != 0:
            problems.append('%s\n    fails directly on 127.0.0.1:%d (a mistake in the corpus): ERROR %s: %s' %
                            ((where, direct_port) + error_of(s.direct)))
            continue
        if s.weft[0] != 0:
            code, message = error_of(s.weft)
            refused.append((s, code, message))
            if s.line not in listed:
                problems.append('%s\n    refused by weft but not listed in %s (add "%d\\t%s"): ERROR %s: %s' %
                                (where, refused_path, s.line, code, code, message))
            elif listed[s.line] != code:
                problems.append('%s\n    refused with %s, listed with %s: ERROR %s: %s' %
                                (where, code, listed[s.line], code, message))
            continue
        if s.line in listed:
            problems.append('%s\n    now answered: update the .refused file (remove line %d)' % (where, s.line))
        if comparable(s.weft[1], s.ordered) != comparable(s.direct[1], s.ordered):
            problems.append('%s\n    DIFFERENT ANSWER (compared %s)\n    through weft:\n%s\n    directly:\n%s' %
                            (where, 'as printed' if s.ordered else 'as sorted lines', indent(s.weft[1]),
                             indent(s.direct[1])))
            continue
        answered += 1

    print('refused by weft (line, code, statement, error):')
    for s, code, message in refused:
        print('  %4d  %s  %s\n          -> %s' % (s.line, code, s.sql, message))
    codes = {}
    for _, code, _ in refused:
        codes[code] = codes.get(code, 0) + 1
    by_code = ', '.join('%s: %d' % kv for kv in sorted(codes.items()))
    print('%d statements (%d writes), %d answered identically, %d refused (%s), %d problems, %.1f s' %
          (len(corpus), sum(s.write for s in corpus), answered, len(refused), by_code or 'none', len(problems),
           time.time() - started))
    if problems:
        print('\nPROBLEMS:', file=sys.stderr)
        for p in problems:
            print('  ' + p, file=sys.stderr)
        return 1
    return 0


# ---- Placement: every row on the shard its map names, none elsewhere ------------------------

def table_rows(port, table, where='1'):
    rc, out, err = mariadb(port, 'SELECT * FROM %s WHERE %s' % (table, where), ROOT)
    if rc != 0:
        raise RuntimeError('127.0.0.1:%d: %s' % (port, err.strip()))
    return sorted(out.splitlines()[1:])


def placement(admin_port, direct_port, global_port, shard1, shard2):
    problems = []
    for table in TABLES:
        want = table_rows(direct_port, table)
        on_global, on1, on2 = (table_rows(p, table) for p in (global_port, shard1, shard2))
        if table == 'c_plain':  # unsharded: the global group's, replicated to every shard
            for port, got in ((global_port, on_global), (shard1, on1), (shard2, on2)):
                if got != want:
                    problems.append('%s on %d differs from the direct server: %d rows, want %d' %
                                    (table, port, len(got), len(want)))
            continue
        if on_global:
            problems.append('%s: %d sharded rows on the global group' % (table, len(on_global)))
        if sorted(on1 + on2) != want:
            problems.append('%s: the shards hold %d + %d rows, not the direct server\'s %d (or other rows)' %
                            (table, len(on1), len(on2), len(want)))
    # RANGE, RANGE_DATETIME and LIST maps: what each shard may hold, as a condition.
    for port, table, wrong in ((shard1, 'c_orders', 'order_id >= 5000 OR order_id < 0'),
                               (shard2, 'c_orders', 'order_id < 5000'),
                               (shard1, 'c_events', "at >= '2026-06-01 00:00:00' OR at < '2000-01-01 00:00:00'"),
                               (shard2, 'c_events', "at < '2026-06-01 00:00:00'"),
                               # LIST keys fold case (shard_key.h): 'EU' lives with 'eu'.
                               (shard1, 'c_regions', "UPPER(region) NOT IN ('EU', 'UK')"),
                               (shard2, 'c_regions', "UPPER(region) NOT IN ('US', 'CA')")):
        bad = table_rows(port, table, wrong)
        if bad:
            problems.append('%s on %d holds rows of another shard: %s' % (table, port, bad[:5]))
    # HASH: each id where CALL sharding.lookup_servers places it.
    ids = {1: [l.split('\t')[0] for l in table_rows(shard1, 'c_users')],
           2: [l.split('\t')[0] for l in table_rows(shard2, 'c_users')]}

    def primary_of(key):
        rc, out, err = mariadb(admin_port, "CALL sharding.lookup_servers('weft_test.c_users', '%s', 'LOCAL')" % key,
                               ('admin', 'admin-secret'), db=None)
        for line in out.splitlines():
            f = line.split('\t')
            if len(f) > 2 and f[2] == 'PRIMARY':
                return int(f[1].rsplit(':', 1)[1])
        return 'no answer: %s' % err.strip()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for shard, port in ((1, shard1), (2, shard2)):
            for key, got in zip(ids[shard], pool.map(primary_of, ids[shard])):
                if got != port:
                    problems.append('c_users id %s is on %d, lookup_servers says %s' % (key, port, got))
    for p in problems:
        print('  ' + p, file=sys.stderr)
    print('placement: %d users on shard1, %d on shard2; %s' %
          (len(ids[1]), len(ids[2]), 'ok' if not problems else '%d problems' % len(problems)))
    return 1 if problems else 0


def main(argv):
    if argv[1:] == ['schema']:
        print(';\n'.join(SCHEMA) + ';')
        return 0
    if argv[1:] == ['data']:
        print('\n'.join(rows()))
        return 0
    if argv[1:] == ['sync']:
        sync_replicas()
        return 0
    if len(argv) == 6 and argv[1] == 'run':
        return run(int(argv[2]), int(argv[3]), argv[4], argv[5])
    if len(argv) == 7 and argv[1] == 'placement':
        return placement(*(int(a) for a in argv[2:]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))

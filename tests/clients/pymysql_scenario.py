"""Conformance scenario for PyMySQL (tests/clients/pymysql.sh runs it directly and through weft
and diffs the transcripts). Run with /usr/bin/python3 (Debian's python3-pymysql):

    /usr/bin/python3 pymysql_scenario.py HOST PORT SECTION...

Prints a canonical transcript: every result set (cursor.description and values with their Python
type names), affected rows, insert ids, warning counts, server status, and for each error its
errno, SQLSTATE, exception class and message. Nothing that legitimately differs between two
connections (connection ids, timestamps, the server version string) is printed. Each section
ends with "== end SECTION"; a section that raises prints "FATAL ..." and exits 1. Tables are
named pym_* in weft_test.
"""
import datetime
import decimal
import hashlib
import io
import os
import ssl
import sys

import pymysql
import pymysql.cursors
import pymysql.err
from pymysql.constants import CLIENT

# PyMySQL drops the SQLSTATE of an ERR packet; keep it on the exception.
_raise = pymysql.err.raise_mysql_exception


def _raise_with_state(data):
    state = data[4:9].decode("ascii", "replace") if data[3:4] == b"#" else None
    try:
        _raise(data)
    except pymysql.err.MySQLError as e:
        e.sqlstate = state
        raise


pymysql.err.raise_mysql_exception = _raise_with_state

HOST, PORT, SECTIONS = sys.argv[1], int(sys.argv[2]), sys.argv[3:]


def out(line):
    sys.stdout.write(line + "\n")


def digest(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def fmt(v):
    t = type(v).__name__
    if v is None:
        return "None"
    if isinstance(v, (bytes, bytearray)):
        return f"{t}({len(v)}):{v.hex()}" if len(v) <= 32 else f"{t}({len(v)},sha256={digest(v)})"
    if isinstance(v, str):
        return f"str:{v!r}" if len(v) <= 64 else f"str({len(v)},sha256={digest(v)})"
    return f"{t}:{v!r}" if not isinstance(v, (datetime.date, datetime.timedelta)) else f"{t}:{v}"


def connect(**kw):
    args = dict(host=HOST, port=PORT, user="app", password="app-secret", database="weft_test",
                charset="utf8mb4", connect_timeout=10)
    args.update(kw)
    return pymysql.connect(**args)


def print_error(label, e):
    if isinstance(e, pymysql.err.MySQLError) and e.args and isinstance(e.args[0], int) and e.args[0] >= 1000:
        out(f"{label}: {type(e).__name__} errno={e.args[0]} sqlstate={getattr(e, 'sqlstate', None)} "
            f"msg={e.args[1]!r}")
    else:
        out(f"{label}: client error {type(e).__name__} errno={e.args[0] if e.args else None}")


def print_result(cur):
    r = cur._result
    if cur.description is not None:
        out("  columns: " + " ".join(
            f"{d[0]}(type={d[1]},display={d[2]},internal={d[3]},prec={d[4]},scale={d[5]},null_ok={d[6]})"
            for d in cur.description))
        rows = cur.fetchall()
        out(f"  rows: {len(rows)} rowcount={cur.rowcount}")
        for row in rows:
            if isinstance(row, dict):
                out("  row: " + " | ".join(f"{k}={fmt(v)}" for k, v in row.items()))
            else:
                out("  row: " + " | ".join(fmt(v) for v in row))
    else:
        out(f"  ok: rowcount={cur.rowcount} lastrowid={cur.lastrowid}")
    if r is not None:
        out(f"  status: warnings={r.warning_count} server_status={r.server_status} "
            f"message={r.message!r} has_next={bool(r.has_next)}")


def q(conn, label, sql, args=None, cursor=None):
    """Executes and prints the result (all result sets of a multi-statement) or the error."""
    cur = cursor or conn.cursor()
    out(f"query {label}")
    try:
        cur.execute(sql, args)
        n = 0
        while True:
            if n:
                out(f"  -- result {n}")
            print_result(cur)
            n += 1
            if not cur.nextset():
                break
    except pymysql.err.MySQLError as e:
        print_error("  error", e)
    return cur


def setup(conn, sql):
    """Set-up whose outcome depends on an earlier run (DROP ... IF EXISTS): prints errors only."""
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    except pymysql.err.MySQLError as e:
        print_error(f"setup {sql}", e)


def s_query():
    c = connect()
    q(c, "literals", "SELECT 1 AS i, -2 AS neg, 9007199254740993 AS big, 3.25 AS dec1, 1e3 AS dbl, 'two' AS s, "
                     "NULL AS n, _utf8mb4'h\u00e9llo \U0001F600' AS u, X'00ff' AS bin")
    q(c, "temporal", "SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-02-29 12:34:56.789' AS dt, TIME'-12:34:56' AS t, "
                     "TIME'838:59:59.5' AS tmax, YEAR('2021-01-01') AS y")
    setup(c, "DROP TABLE IF EXISTS pym_types")
    q(c, "create", """CREATE TABLE pym_types (
        id INT AUTO_INCREMENT PRIMARY KEY, ti TINYINT, si SMALLINT UNSIGNED, bi BIGINT, ubi BIGINT UNSIGNED,
        de DECIMAL(12,4), fl FLOAT, db DOUBLE, bt BIT(5), ch CHAR(3), vc VARCHAR(40), tx TEXT, bl BLOB,
        en ENUM('a','b'), st SET('x','y'), js JSON, d DATE, dt DATETIME(3), tm TIME, yr YEAR)""")
    q(c, "insert", """INSERT INTO pym_types (ti, si, bi, ubi, de, fl, db, bt, ch, vc, tx, bl, en, st, js, d, dt, tm, yr)
        VALUES (-128, 65535, -9223372036854775808, 18446744073709551615, -12345678.1234, 1.5, 2.25e-10, b'10101',
                'abc', 'v\u00e9', 'text', X'00FF10', 'b', 'x,y', '{"k":[1,2]}', '2024-02-29',
                '2024-02-29 01:02:03.456', '-838:59:59', 2155),
               (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                NULL, NULL)""")
    q(c, "select all types", "SELECT * FROM pym_types ORDER BY id")
    q(c, "select (DictCursor)", "SELECT id, vc, bl FROM pym_types ORDER BY id", cursor=c.cursor(pymysql.cursors.DictCursor))
    q(c, "params", "SELECT %s AS a, %s AS b, %s AS c, %s AS d, %s AS e, %s AS f, %s AS g",
      (7, "it's", None, 2.5, decimal.Decimal("1.10"), datetime.datetime(2024, 2, 29, 12, 0, 1), b"\x00\x01'"))
    q(c, "named params", "SELECT %(x)s AS x, %(y)s AS y", {"x": 1, "y": "why"})
    q(c, "update", "UPDATE pym_types SET vc = 'changed' WHERE id <= 2")
    q(c, "update same", "UPDATE pym_types SET vc = 'changed' WHERE id <= 2")
    q(c, "insert ids", "INSERT INTO pym_types (vc) VALUES ('a'), ('b'), ('c')")
    out(f"insert_id(): {c.insert_id()} affected_rows(): {c.affected_rows()}")
    q(c, "last_insert_id", "SELECT LAST_INSERT_ID() AS lid, ROW_COUNT() AS rc")
    q(c, "warning", "SELECT 1/0 AS z, CAST('12abc' AS INT) AS cast_warn")
    out(f"show_warnings(): {c.show_warnings()!r}")
    q(c, "empty", "SELECT id, vc FROM pym_types WHERE 1 = 0")
    q(c, "set", "SET @v = 'user var', time_zone = '+00:00'")
    q(c, "get", "SELECT @v AS v, @@time_zone AS tz, DATABASE() AS db, CURRENT_USER() AS cu")
    out(f"escape_string: {c.escape_string(chr(39) + 'x' + chr(92))!r} autocommit: {c.get_autocommit()}")
    q(c, "drop", "DROP TABLE pym_types")
    c.close()


def s_executemany():
    c = connect()
    setup(c, "DROP TABLE IF EXISTS pym_many")
    q(c, "create", "CREATE TABLE pym_many (id INT AUTO_INCREMENT PRIMARY KEY, a INT, s VARCHAR(20), d DATETIME, n INT)")
    cur = c.cursor()
    rows = [(i, f"s{i}", datetime.datetime(2024, 1, 1 + i % 28, i % 24), None if i % 3 else i) for i in range(1, 201)]
    # INSERT ... VALUES is batched into one multi-row statement by PyMySQL.
    n = cur.executemany("INSERT INTO pym_many (a, s, d, n) VALUES (%s, %s, %s, %s)", rows)
    out(f"executemany insert (batched): returned={n} rowcount={cur.rowcount} lastrowid={cur.lastrowid}")
    # UPDATE is executed once per row.
    n = cur.executemany("UPDATE pym_many SET s = %s WHERE a = %s", [(f"u{i}", i) for i in range(1, 11)])
    out(f"executemany update (one by one): returned={n} rowcount={cur.rowcount}")
    try:
        cur.executemany("INSERT INTO pym_many (id, a) VALUES (%s, %s)", [(1000, 1), (1000, 2)])
        out("executemany duplicate: no error")
    except pymysql.err.MySQLError as e:
        print_error("executemany duplicate", e)
    q(c, "check", "SELECT COUNT(*), SUM(a), COUNT(n), GROUP_CONCAT(s ORDER BY a LIMIT 12), MIN(d), MAX(d) FROM pym_many")
    q(c, "drop", "DROP TABLE pym_many")
    c.close()


def s_transactions():
    c = connect()
    setup(c, "DROP TABLE IF EXISTS pym_tx")
    q(c, "create", "CREATE TABLE pym_tx (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB")
    out(f"autocommit: {c.get_autocommit()}")
    c.begin()
    out("begin")
    q(c, "insert", "INSERT INTO pym_tx (v) VALUES ('rolled')")
    q(c, "in tx", "SELECT @@in_transaction AS t, COUNT(*) AS n FROM pym_tx")
    c.rollback()
    out("rollback")
    q(c, "after rollback", "SELECT @@in_transaction AS t, COUNT(*) AS n FROM pym_tx")
    c.autocommit(False)
    out(f"autocommit(False): get_autocommit={c.get_autocommit()}")
    q(c, "insert", "INSERT INTO pym_tx (v) VALUES ('kept1'), ('kept2')")
    q(c, "in implicit tx", "SELECT @@in_transaction AS t, @@autocommit AS ac")
    c.commit()
    out("commit")
    q(c, "insert", "INSERT INTO pym_tx (v) VALUES ('undone')")
    c.rollback()
    out("rollback")
    c.autocommit(True)
    out(f"autocommit(True): get_autocommit={c.get_autocommit()}")
    q(c, "after", "SELECT @@in_transaction AS t, id, v FROM pym_tx ORDER BY id")
    # A second connection sees only committed rows.
    c2 = connect()
    q(c2, "other connection", "SELECT COUNT(*) FROM pym_tx")
    c2.close()
    q(c, "drop", "DROP TABLE pym_tx")
    c.close()


def s_errors():
    c = connect()
    setup(c, "DROP TABLE IF EXISTS pym_err")
    q(c, "create", "CREATE TABLE pym_err (id INT PRIMARY KEY, v VARCHAR(5) NOT NULL)")
    q(c, "insert", "INSERT INTO pym_err VALUES (1, 'a')")
    q(c, "duplicate key 1062", "INSERT INTO pym_err VALUES (1, 'b')")
    q(c, "syntax 1064", "SELEC 1")
    q(c, "unknown table 1146", "SELECT * FROM pym_no_such_table")
    q(c, "unknown column 1054", "SELECT nope FROM pym_err")
    q(c, "null into not null 1048", "INSERT INTO pym_err VALUES (2, NULL)")
    q(c, "data too long 1406", "INSERT INTO pym_err VALUES (3, 'toolong')")
    q(c, "unknown database 1049", "USE pym_no_such_db")
    q(c, "signal", "SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 1644, MESSAGE_TEXT = 'custom'")
    q(c, "insert ignore (warning)", "INSERT IGNORE INTO pym_err VALUES (1, 'c')")
    out(f"show_warnings(): {c.show_warnings()!r}")
    try:
        c.select_db("pym_no_such_db")
        out("select_db unknown: no error")
    except pymysql.err.MySQLError as e:
        print_error("select_db unknown", e)
    q(c, "still alive", "SELECT 'alive' AS s, COUNT(*) AS n, DATABASE() AS db FROM pym_err")
    q(c, "drop", "DROP TABLE pym_err")
    c.close()
    try:
        connect(password="wrong")
        out("wrong password: connected")
    except pymysql.err.MySQLError as e:
        print_error("wrong password", e)
    try:
        connect(database="pym_no_such_db")
        out("unknown database at connect: connected")
    except pymysql.err.MySQLError as e:
        print_error("unknown database at connect", e)


def s_multi():
    c = connect(client_flag=CLIENT.MULTI_STATEMENTS)
    setup(c, "DROP TABLE IF EXISTS pym_multi")
    setup(c, "DROP PROCEDURE IF EXISTS pym_proc")
    q(c, "create", "CREATE TABLE pym_multi (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))")
    q(c, "several result sets", "SELECT 1 AS a; SELECT 'x' AS b, 2 AS c; INSERT INTO pym_multi (v) VALUES ('p'), ('q'); "
                                "SELECT id, v FROM pym_multi ORDER BY id; DO 1; SELECT * FROM pym_multi WHERE 1 = 0")
    q(c, "error in the middle", "SELECT 1 AS first; SELECT * FROM pym_no_such_table; SELECT 3 AS never")
    q(c, "after error", "SELECT 'alive' AS s")
    q(c, "create procedure", "CREATE PROCEDURE pym_proc(IN n INT) BEGIN SELECT n AS n_in; "
                             "SELECT id, v FROM pym_multi ORDER BY id; UPDATE pym_multi SET v = 'u' WHERE id > n; END")
    q(c, "call", "CALL pym_proc(1)")
    cur = c.cursor()
    out(f"callproc: {cur.callproc('pym_proc', (0,))!r}")
    n = 0
    while True:
        out(f"  -- callproc result {n}")
        print_result(cur)
        n += 1
        if not cur.nextset():
            break
    q(c, "teardown", "DROP PROCEDURE pym_proc; DROP TABLE pym_multi")
    c.close()


def s_sscursor():
    c = connect()
    cur = c.cursor(pymysql.cursors.SSCursor)
    cur.execute("SELECT seq, REPEAT(CHAR(65 + seq % 26), 1 + seq % 100) AS s FROM seq_1_to_10000")
    out("  columns: " + " ".join(f"{d[0]}(type={d[1]})" for d in cur.description))
    h = hashlib.sha256()
    n = total = 0
    first = None
    for row in cur:  # streamed row by row (fetchone)
        if first is None:
            first = row
        n += 1
        total += row[0]
        h.update(f"{row[0]}:{row[1]}\n".encode())
    out(f"sscursor 10k rows: n={n} sum={total} first={first!r} types={[type(v).__name__ for v in first]} "
        f"sha256={h.hexdigest()[:16]}")
    cur.close()
    # fetchmany, then close before the end: the rest is drained and the connection stays usable.
    cur = c.cursor(pymysql.cursors.SSDictCursor)
    cur.execute("SELECT seq FROM seq_1_to_10000")
    batch = cur.fetchmany(100)
    out(f"fetchmany(100): {len(batch)} rows, last={batch[-1]!r}")
    cur.close()
    out("closed early")
    q(c, "after early close", "SELECT COUNT(*) FROM seq_1_to_10000")
    # An unbuffered result followed by an error in the same connection.
    cur = c.cursor(pymysql.cursors.SSCursor)
    try:
        cur.execute("SELECT * FROM pym_no_such_table")
    except pymysql.err.MySQLError as e:
        print_error("sscursor error", e)
    cur.close()
    q(c, "final", "SELECT 'ok' AS s")
    c.close()


def s_ping():
    c = connect()
    c.ping(reconnect=False)
    out("ping: ok")
    q(c, "after ping", "SELECT 1 AS one")
    c.ping(reconnect=False)
    out("ping: ok")
    out(f"open: {c.open}")
    c.close()
    out(f"closed, open: {c.open}")
    try:
        c.ping(reconnect=False)
        out("ping after close: no error")
    except pymysql.err.Error as e:
        out(f"ping after close: {type(e).__name__}")


def s_select_db():
    c = connect(database=None)
    q(c, "no database", "SELECT DATABASE() AS db")
    c.select_db("weft_test")
    out("select_db(weft_test)")
    q(c, "db", "SELECT DATABASE() AS db")
    c.select_db("sbtest")
    out("select_db(sbtest)")
    q(c, "db", "SELECT DATABASE() AS db")
    q(c, "use", "USE weft_test")
    q(c, "db", "SELECT DATABASE() AS db")
    c.close()


def s_large():
    c = connect()
    size = 5 * 1024 * 1024
    big = bytes((i * 31 + (i >> 11)) & 0xFF for i in range(size))
    out(f"value: {fmt(big)}")
    setup(c, "DROP TABLE IF EXISTS pym_large")
    q(c, "create", "CREATE TABLE pym_large (id INT AUTO_INCREMENT PRIMARY KEY, b LONGBLOB, t LONGTEXT)")
    q(c, "insert blob", "INSERT INTO pym_large (b) VALUES (%s)", (big,))
    q(c, "insert text", "INSERT INTO pym_large (t) VALUES (%s)", ("\u00e9" * (size // 2),))
    q(c, "server-side digests", "SELECT id, LENGTH(b), SHA2(b, 256), CHAR_LENGTH(t), SHA2(t, 256) FROM pym_large ORDER BY id")
    q(c, "read back", "SELECT id, b, t FROM pym_large ORDER BY id")
    q(c, "read back (SSCursor)", "SELECT id, b, t FROM pym_large ORDER BY id", cursor=c.cursor(pymysql.cursors.SSCursor))
    q(c, "generated", "SELECT REPEAT('x', 5 * 1024 * 1024) AS r")
    q(c, "drop", "DROP TABLE pym_large")
    c.close()


def s_local_infile():
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"pym-infile-{os.getpid()}.csv")
    with open(path, "w") as f:
        f.writelines(f"{i},line {i}\n" for i in range(1, 1001))
    try:
        c = connect(local_infile=True)
        setup(c, "DROP TABLE IF EXISTS pym_infile")
        q(c, "create", "CREATE TABLE pym_infile (id INT PRIMARY KEY, v VARCHAR(20))")
        q(c, "load data local", f"LOAD DATA LOCAL INFILE '{path}' INTO TABLE pym_infile FIELDS TERMINATED BY ',' (id, v)")
        q(c, "loaded", "SELECT COUNT(*), SUM(id), MAX(v) FROM pym_infile")
        q(c, "load data local (duplicates)", f"LOAD DATA LOCAL INFILE '{path}' IGNORE INTO TABLE pym_infile "
                                             "FIELDS TERMINATED BY ',' (id, v)")
        q(c, "after", "SELECT COUNT(*) FROM pym_infile")
        q(c, "drop", "DROP TABLE pym_infile")
        c.close()
    finally:
        os.unlink(path)


def s_tls():
    ctx = ssl.create_default_context(cafile=os.environ["CLIENT_TLS_CA"])
    c = connect(ssl=ctx)
    # PyMySQL silently stays in clear text when the server does not offer TLS: check the socket.
    out(f"client socket is TLS: {isinstance(c._sock, ssl.SSLSocket)}")
    q(c, "select", "SELECT 1 AS one, 'over tls' AS s")
    c.close()


SECTION_FUNCS = {name[2:]: f for name, f in globals().items() if name.startswith("s_") and callable(f)}

for name in SECTIONS:
    out(f"== {name}")
    if name not in SECTION_FUNCS:
        out(f"FATAL unknown section {name}")
        sys.exit(2)
    try:
        SECTION_FUNCS[name]()
    except Exception as e:  # noqa: BLE001 - any failure ends the section with its class and codes
        if isinstance(e, pymysql.err.MySQLError):
            print_error("FATAL", e)
        else:
            out(f"FATAL {type(e).__name__}")
        import traceback
        traceback.print_exc()
        sys.exit(1)
    out(f"== end {name}")

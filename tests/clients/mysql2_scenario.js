// Conformance scenario for node's mysql2 driver (tests/clients/mysql2.sh runs it directly and
// through weft and diffs the transcripts).
//
//   node mysql2_scenario.js HOST PORT SECTION...
//
// Prints a canonical transcript on stdout: every result set (column metadata, values with their
// JS types), OK packets (affected rows, insert id, warnings, server status), and errors (errno,
// SQLSTATE, code, message). Nothing that legitimately differs between two connections (thread
// ids, timestamps) is printed. Each section ends with "== end SECTION"; a section that throws
// prints "FATAL ..." and the process exits 1. Tables are named m2_* in weft_test.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const { Readable } = require('stream');
const mysql = require('mysql2/promise');

const [host, portArg, ...sections] = process.argv.slice(2);
const port = Number(portArg);
if (!host || !port || sections.length === 0) {
  console.error('usage: node mysql2_scenario.js HOST PORT SECTION...');
  process.exit(2);
}
const base = {
  host, port, user: 'app', password: 'app-secret', database: 'weft_test',
  timezone: 'Z', connectTimeout: 10000,
};
const out = (line) => process.stdout.write(line + '\n');
const sha = (data) => crypto.createHash('sha256').update(data).digest('hex').slice(0, 16);

function fmt(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Buffer.isBuffer(v)) {
    return v.length <= 32 ? `Buffer(${v.length}):${v.toString('hex')}` : `Buffer(${v.length},sha256=${sha(v)})`;
  }
  if (v instanceof Date) return `Date(${isNaN(v) ? 'Invalid' : v.toISOString()})`;
  if (typeof v === 'string') return v.length <= 64 ? `string:${JSON.stringify(v)}` : `string(${v.length},sha256=${sha(v)})`;
  if (typeof v === 'object') return `object:${JSON.stringify(v)}`;
  return `${typeof v}:${String(v)}`;
}

function printFields(fields) {
  out('  columns: ' + fields.map((f) =>
    `${f.name}(type=${f.columnType},charset=${f.characterSet},flags=${f.flags},decimals=${f.decimals},len=${f.columnLength}` +
    // MariaDB's extended metadata (MARIADB_CLIENT_EXTENDED_METADATA), when the server sent it.
    (f.extendedTypeName !== undefined || f.extendedFormat !== undefined ? `,ext=${f.extendedTypeName}/${f.extendedFormat}` : '') +
    ')').join(' '));
}

function printOne(rows, fields) {
  if (Array.isArray(rows)) {
    if (fields) printFields(fields);
    out(`  rows: ${rows.length}`);
    for (const r of rows) {
      out('  row: ' + (Array.isArray(r) ? r.map(fmt).join(' | ') : Object.entries(r).map(([k, v]) => `${k}=${fmt(v)}`).join(' | ')));
    }
  } else {
    out(`  ok: affectedRows=${rows.affectedRows} insertId=${rows.insertId} warningStatus=${rows.warningStatus}` +
        ` changedRows=${rows.changedRows} serverStatus=${rows.serverStatus} info=${JSON.stringify(rows.info)}`);
  }
}

// A result of query/execute: one result set or OK, or (multiple statements / CALL) several.
function printResult(label, [rows, fields]) {
  out(`${label}`);
  const multi = Array.isArray(rows) && Array.isArray(fields) && fields.length > 0 &&
    (Array.isArray(fields[0]) || fields[0] === undefined || fields[0] === null);
  if (multi) {
    rows.forEach((r, i) => { out(`  -- result ${i}`); printOne(r, fields[i]); });
  } else if (Array.isArray(rows) && rows.length > 0 && !Array.isArray(rows[0]) && rows[0] && rows[0].constructor &&
             rows[0].constructor.name === 'ResultSetHeader' && fields === undefined) {
    rows.forEach((r, i) => { out(`  -- result ${i}`); printOne(r, undefined); });
  } else {
    printOne(rows, fields);
  }
}

function printError(label, e) {
  if (e.sqlState) {
    out(`${label}: error errno=${e.errno} sqlstate=${e.sqlState} code=${e.code} msg=${JSON.stringify(e.sqlMessage)}`);
  } else {
    out(`${label}: client error code=${e.code} fatal=${!!e.fatal}`);
  }
}

// Runs a statement and prints its result or its error; returns the result (or null on error).
async function q(conn, label, sql, params, how = 'query') {
  try {
    const res = await conn[how](sql, params);
    printResult(`${how} ${label}`, res);
    return res;
  } catch (e) {
    printError(`${how} ${label}`, e);
    return null;
  }
}
const x = (conn, label, sql, params) => q(conn, label, sql, params, 'execute');

// Set-up statements whose outcome depends on what an earlier (failed) run left behind: run
// silently, print only failures.
async function setup(conn, sql) {
  try { await conn.query(sql); } catch (e) { printError(`setup ${sql}`, e); }
}

async function connect(extra = {}) { return mysql.createConnection({ ...base, ...extra }); }

const S = {};

S.query = async () => {
  const c = await connect();
  await q(c, 'literals', "SELECT 1 AS i, -2 AS neg, 9007199254740993 AS big, 3.25 AS dec1, 1e3 AS dbl, 'two' AS s, NULL AS n, _utf8mb4'h\u00e9llo \u{1F600}' AS u");
  await q(c, 'temporal', "SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-02-29 12:34:56.789' AS dt, TIME'-12:34:56' AS t, CAST('2024-02-29 23:59:59' AS DATETIME(6)) AS dt6, YEAR('2021-01-01') AS y");
  await setup(c, 'DROP TABLE IF EXISTS m2_types');
  await q(c, 'create', `CREATE TABLE m2_types (
      id INT AUTO_INCREMENT PRIMARY KEY, ti TINYINT, si SMALLINT UNSIGNED, bi BIGINT, ubi BIGINT UNSIGNED,
      de DECIMAL(12,4), fl FLOAT, db DOUBLE, bt BIT(5), ch CHAR(3), vc VARCHAR(40), tx TEXT, bl BLOB,
      vb VARBINARY(8), en ENUM('a','b'), st SET('x','y'), d DATE, dt DATETIME(3), ts TIMESTAMP NULL, tm TIME, yr YEAR)`);
  await q(c, 'insert', `INSERT INTO m2_types (ti, si, bi, ubi, de, fl, db, bt, ch, vc, tx, bl, vb, en, st, d, dt, ts, tm, yr) VALUES
      (-128, 65535, -9223372036854775808, 18446744073709551615, -12345678.1234, 1.5, 2.25e-10, b'10101', 'abc',
       'v\u00e9', 'text', X'00FF10', X'DEADBEEF', 'b', 'x,y', '2024-02-29', '2024-02-29 01:02:03.456',
       '2020-01-01 00:00:00', '838:59:59', 2155),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  await q(c, 'select all types', 'SELECT * FROM m2_types ORDER BY id');
  await q(c, 'select rowsAsArray', { sql: 'SELECT id, vc, bl FROM m2_types ORDER BY id', rowsAsArray: true });
  await q(c, 'select supportBigNumbers', { sql: 'SELECT bi, ubi, de FROM m2_types ORDER BY id', supportBigNumbers: true, bigNumberStrings: true });
  await q(c, 'update', "UPDATE m2_types SET vc = 'changed' WHERE id <= 2");
  await q(c, 'update same', "UPDATE m2_types SET vc = 'changed' WHERE id <= 2");
  await q(c, 'escaped params', 'SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e',
    [7, "it's", null, new Date(Date.UTC(2024, 1, 29, 12, 0, 0)), Buffer.from([1, 2, 3])]);
  await q(c, 'insert ids', "INSERT INTO m2_types (vc) VALUES ('a'), ('b'), ('c')");
  await q(c, 'last_insert_id', 'SELECT LAST_INSERT_ID() AS lid, ROW_COUNT() AS rc');
  await q(c, 'warning', "INSERT INTO m2_types (ti) VALUES (1000)");
  await q(c, 'show warnings', 'SHOW WARNINGS');
  await q(c, 'select warning', 'SELECT 1/0 AS z, @@warning_count AS wc');
  await q(c, 'show count warnings', 'SHOW COUNT(*) WARNINGS');
  await q(c, 'empty', 'SELECT * FROM m2_types WHERE 1 = 0');
  await q(c, 'do', 'DO 1');
  await q(c, 'set', "SET @v = 'user var', time_zone = '+00:00'");
  await q(c, 'get', 'SELECT @v AS v, @@time_zone AS tz, DATABASE() AS db, CURRENT_USER() AS cu');
  await q(c, 'use', 'USE weft_test');
  await q(c, 'ping', 'SELECT 1');
  await c.ping(); out('ping: ok');
  await q(c, 'drop', 'DROP TABLE m2_types');
  await c.end();
};

S.execute = async () => {
  const c = await connect();
  await setup(c, 'DROP TABLE IF EXISTS m2_ps');
  await q(c, 'create', `CREATE TABLE m2_ps (id INT AUTO_INCREMENT PRIMARY KEY, i INT, bi BIGINT, f DOUBLE,
      de DECIMAL(10,3), s VARCHAR(50), dt DATETIME(3), d DATE, b BLOB, n INT, t TIME)`);
  const ins = 'INSERT INTO m2_ps (i, bi, f, de, s, dt, d, b, n, t) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  await x(c, 'insert 1', ins, [42, '9007199254740993', 3.25, '12.5', 'h\u00e9llo',
    new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)), '2024-02-29', Buffer.from([0, 1, 2, 255]), null, '10:11:12']);
  await x(c, 'insert 2 (same statement)', ins, [-1, -5, -0.5, '-0.001', '', new Date(Date.UTC(1999, 11, 31, 23, 59, 59)),
    '1999-12-31', Buffer.alloc(0), 7, '-01:00:00']);
  await x(c, 'insert 3 (nulls)', ins, [null, null, null, null, null, null, null, null, null, null]);
  await x(c, 'select all (binary protocol)', 'SELECT * FROM m2_ps ORDER BY id');
  await x(c, 'select where', 'SELECT id, s, b FROM m2_ps WHERE i = ? OR s = ?', [42, '']);
  await x(c, 'select no match', 'SELECT id FROM m2_ps WHERE i = ?', [123456]);
  await x(c, 'select params', 'SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e, ? AS f', [1, 'x', null, 2.5, true, Buffer.from('bin')]);
  await x(c, 'select expressions', 'SELECT CAST(? AS SIGNED) + 1 AS plus, CONCAT(?, ?) AS cat, ? IS NULL AS isnull', [41, 'a', 'b', null]);
  await x(c, 'update', 'UPDATE m2_ps SET s = ? WHERE id > ?', ['upd', 1]);
  await x(c, 'delete', 'DELETE FROM m2_ps WHERE id = ?', [3]);
  await x(c, 'no params', 'SELECT COUNT(*) AS n FROM m2_ps');
  await x(c, 'temporal types', "SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-02-29 12:34:56.789' AS dt, TIME'-12:34:56.5' AS t, 1.5e0 AS dbl, CAST(2.5 AS FLOAT) AS fl");
  await x(c, 'prepare error (unknown table)', 'SELECT * FROM m2_no_such_table WHERE id = ?', [1]);
  await x(c, 'prepare error (syntax)', 'SELEC ?', [1]);
  await x(c, 'execute error (duplicate key)', 'INSERT INTO m2_ps (id) VALUES (?)', [1]);
  await x(c, 'wrong param count', 'SELECT ? AS a, ? AS b', [1]);
  c.unprepare('SELECT COUNT(*) AS n FROM m2_ps');
  await x(c, 'after unprepare', 'SELECT COUNT(*) AS n FROM m2_ps');
  const stmt = await c.prepare('SELECT ? + ? AS sum');
  out(`prepare: columns=${stmt.statement.columns.length} parameters=${stmt.statement.parameters.length}`);
  for (const [a, b] of [[1, 2], [10, 20], [-1, 1]]) {
    printResult(`stmt.execute(${a}, ${b})`, await stmt.execute([a, b]));
  }
  stmt.close();
  await x(c, 'drop', 'DROP TABLE m2_ps');
  await c.end();
};

S.pool = async () => {
  const pool = mysql.createPool({ ...base, connectionLimit: 4, waitForConnections: true, queueLimit: 0 });
  await setup(pool, 'DROP TABLE IF EXISTS m2_pool');
  await q(pool, 'create', 'CREATE TABLE m2_pool (id INT PRIMARY KEY, v VARCHAR(20))');
  const N = 50;
  const threads = new Set();
  pool.on('connection', (conn) => threads.add(conn.threadId));
  const qs = [];
  for (let i = 0; i < N; i++) qs.push(pool.query('SELECT ? AS n, SLEEP(0.01) AS s, CONCAT(?, ?) AS c', [i, 'q', i]));
  const qr = await Promise.all(qs);
  const qOk = qr.every(([rows], i) => rows.length === 1 && rows[0].n === i && rows[0].s === 0 && rows[0].c === `q${i}`);
  out(`pool.query x${N}: all correct=${qOk} sum=${qr.reduce((a, [rows]) => a + rows[0].n, 0)}`);
  const es = [];
  for (let i = 0; i < N; i++) es.push(pool.execute('INSERT INTO m2_pool (id, v) VALUES (?, ?)', [i, `v${i}`]));
  const er = await Promise.all(es);
  out(`pool.execute insert x${N}: affected=${er.reduce((a, [r]) => a + r.affectedRows, 0)}`);
  const ss = [];
  for (let i = 0; i < N; i++) ss.push(pool.execute('SELECT id, v FROM m2_pool WHERE id = ?', [i]));
  const sr = await Promise.all(ss);
  out(`pool.execute select x${N}: all correct=${sr.every(([rows], i) => rows.length === 1 && rows[0].v === `v${i}`)}`);
  out(`pool connections opened <= 4: ${threads.size > 0 && threads.size <= 4}`);
  // A transaction on a connection taken from the pool.
  const conn = await pool.getConnection();
  await conn.beginTransaction();
  await q(conn, 'in tx insert', "INSERT INTO m2_pool (id, v) VALUES (100, 'tx')");
  await q(conn, 'in tx', 'SELECT @@in_transaction AS t');
  await conn.commit();
  conn.release();
  await q(pool, 'count', 'SELECT COUNT(*) AS n, SUM(id) AS s FROM m2_pool');
  await q(pool, 'drop', 'DROP TABLE m2_pool');
  await pool.end();
};

S.multi = async () => {
  const c = await connect({ multipleStatements: true });
  await setup(c, 'DROP TABLE IF EXISTS m2_multi; DROP PROCEDURE IF EXISTS m2_proc');
  await q(c, 'create and drop', 'CREATE TABLE m2_multi (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10)); DROP TABLE m2_multi; CREATE TABLE m2_multi (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))');
  await q(c, 'several result sets',
    "SELECT 1 AS a; SELECT 'x' AS b, 2 AS c; INSERT INTO m2_multi (v) VALUES ('p'), ('q'); SELECT id, v FROM m2_multi ORDER BY id; DO 1; SELECT * FROM m2_multi WHERE 1 = 0");
  await q(c, 'error in the middle', "SELECT 1 AS first; SELECT * FROM m2_no_such_table; SELECT 3 AS never");
  await q(c, 'after error', "SELECT 'alive' AS s");
  await q(c, 'create procedure', `CREATE PROCEDURE m2_proc(IN n INT)
      BEGIN SELECT n AS n_in; SELECT id, v FROM m2_multi ORDER BY id; UPDATE m2_multi SET v = 'u' WHERE id > n; END`);
  await q(c, 'call (query)', 'CALL m2_proc(1)');
  await x(c, 'call (execute)', 'CALL m2_proc(?)', [0]);
  await q(c, 'after call', 'SELECT v FROM m2_multi ORDER BY id');
  await q(c, 'teardown', 'DROP PROCEDURE m2_proc; DROP TABLE m2_multi');
  await c.end();
};

S.transactions = async () => {
  const c = await connect();
  await setup(c, 'DROP TABLE IF EXISTS m2_tx');
  await q(c, 'create', 'CREATE TABLE m2_tx (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB');
  await c.beginTransaction(); out('beginTransaction');
  await q(c, 'insert', "INSERT INTO m2_tx (v) VALUES ('rolled')");
  await q(c, 'in tx', 'SELECT @@in_transaction AS t, COUNT(*) AS n FROM m2_tx');
  await c.rollback(); out('rollback');
  await q(c, 'after rollback', 'SELECT @@in_transaction AS t, COUNT(*) AS n FROM m2_tx');
  await c.beginTransaction(); out('beginTransaction');
  await q(c, 'insert', "INSERT INTO m2_tx (v) VALUES ('kept1'), ('kept2')");
  await q(c, 'savepoint', 'SAVEPOINT sp1');
  await q(c, 'insert', "INSERT INTO m2_tx (v) VALUES ('undone')");
  await q(c, 'rollback to savepoint', 'ROLLBACK TO SAVEPOINT sp1');
  await c.commit(); out('commit');
  await q(c, 'after commit', 'SELECT @@in_transaction AS t, id, v FROM m2_tx ORDER BY id');
  await q(c, 'autocommit off', 'SET autocommit = 0');
  await q(c, 'insert', "INSERT INTO m2_tx (v) VALUES ('ac0')");
  await q(c, 'in implicit tx', 'SELECT @@in_transaction AS t, @@autocommit AS ac');
  await q(c, 'rollback', 'ROLLBACK');
  await q(c, 'autocommit on', 'SET autocommit = 1');
  await q(c, 'final', 'SELECT COUNT(*) AS n FROM m2_tx');
  await q(c, 'drop', 'DROP TABLE m2_tx');
  await c.end();
};

S.errors = async () => {
  const c = await connect();
  await setup(c, 'DROP TABLE IF EXISTS m2_err');
  await q(c, 'create', 'CREATE TABLE m2_err (id INT PRIMARY KEY, v VARCHAR(5) NOT NULL)');
  await q(c, 'insert', "INSERT INTO m2_err VALUES (1, 'a')");
  await q(c, 'duplicate key 1062', "INSERT INTO m2_err VALUES (1, 'b')");
  await x(c, 'duplicate key 1062 (execute)', 'INSERT INTO m2_err VALUES (?, ?)', [1, 'b']);
  await q(c, 'syntax 1064', 'SELEC 1');
  await q(c, 'unknown table 1146', 'SELECT * FROM m2_no_such_table');
  await q(c, 'unknown column 1054', 'SELECT nope FROM m2_err');
  await q(c, 'null into not null 1048', 'INSERT INTO m2_err VALUES (2, NULL)');
  await q(c, 'data too long 1406', "INSERT INTO m2_err VALUES (3, 'toolong')");
  await q(c, 'unknown database 1049', 'USE m2_no_such_db');
  await q(c, 'signal 45000', "SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 1644, MESSAGE_TEXT = 'custom'");
  await q(c, 'insert ignore (warning)', "INSERT IGNORE INTO m2_err VALUES (1, 'c')");
  await q(c, 'show warnings', 'SHOW WARNINGS');
  await q(c, 'still alive', "SELECT 'alive' AS s, COUNT(*) AS n FROM m2_err");
  await q(c, 'drop', 'DROP TABLE m2_err');
  await c.end();
};

S.change_user = async () => {
  const c = await connect();
  await q(c, 'before', "SET @v = 'set before'");
  await q(c, 'before', 'SELECT DATABASE() AS db, CURRENT_USER() AS cu, @v AS v');
  await c.changeUser({ user: 'app', password: 'app-secret', database: 'sbtest' }); out('changeUser database=sbtest');
  await q(c, 'after', 'SELECT DATABASE() AS db, CURRENT_USER() AS cu, @v AS v');
  await x(c, 'after (execute)', 'SELECT DATABASE() AS db, ? AS p', [1]);
  await c.changeUser({ user: 'app', password: 'app-secret', database: 'weft_test' }); out('changeUser database=weft_test');
  await q(c, 'back', 'SELECT DATABASE() AS db, CURRENT_USER() AS cu');
  try {
    await c.changeUser({ user: 'app', password: 'wrong', database: 'weft_test' });
    out('changeUser wrong password: no error');
  } catch (e) { printError('changeUser wrong password', e); }
  await c.end().catch(() => {});
};

S.large = async () => {
  const c = await connect();
  const size = 5 * 1024 * 1024;
  const big = crypto.createHash('sha512');
  const buf = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buf[i] = (i * 31 + (i >> 11)) & 0xff;
  big.update(buf);
  out(`value: ${fmt(buf)}`);
  await setup(c, 'DROP TABLE IF EXISTS m2_large');
  await q(c, 'create', 'CREATE TABLE m2_large (id INT AUTO_INCREMENT PRIMARY KEY, b LONGBLOB, t LONGTEXT)');
  await q(c, 'insert (query, escaped)', 'INSERT INTO m2_large (b) VALUES (?)', [buf]);
  await x(c, 'insert (execute, binary)', 'INSERT INTO m2_large (b) VALUES (?)', [buf]);
  await x(c, 'insert text (execute)', 'INSERT INTO m2_large (t) VALUES (?)', ['\u00e9'.repeat(size / 2)]);
  await q(c, 'server-side digests', 'SELECT id, LENGTH(b) AS lb, SHA2(b, 256) AS hb, CHAR_LENGTH(t) AS ct, SHA2(t, 256) AS ht FROM m2_large ORDER BY id');
  await q(c, 'read back (query)', 'SELECT id, b, t FROM m2_large ORDER BY id');
  await x(c, 'read back (execute)', 'SELECT id, b, t FROM m2_large WHERE id > ? ORDER BY id', [0]);
  await q(c, 'generated', "SELECT REPEAT('x', 5 * 1024 * 1024) AS r");
  await q(c, 'drop', 'DROP TABLE m2_large');
  await c.end();
};

// Columns whose type MariaDB describes only in its extended metadata (JSON, INET6, UUID): mysql2
// asks for MARIADB_CLIENT_EXTENDED_METADATA when the greeting offers it, and then returns JSON
// columns parsed (objects) instead of strings.
S.extended_metadata = async () => {
  const c = await connect();
  await setup(c, 'DROP TABLE IF EXISTS m2_ext');
  await q(c, 'create', 'CREATE TABLE m2_ext (id INT PRIMARY KEY, js JSON, ip INET6, u UUID, g POINT)');
  await q(c, 'insert', `INSERT INTO m2_ext VALUES (1, '{"k":[1,2]}', '2001:db8::1', '123e4567-e89b-12d3-a456-426655440000', POINT(1, 2)),
      (2, NULL, NULL, NULL, NULL)`);
  await q(c, 'select (text protocol)', 'SELECT id, js, ip, u FROM m2_ext ORDER BY id');
  await x(c, 'select (binary protocol)', 'SELECT id, js, ip, u FROM m2_ext WHERE id > ? ORDER BY id', [0]);
  await q(c, 'json functions', `SELECT JSON_OBJECT('a', 1) AS jo, JSON_ARRAY(1, 'x') AS ja, JSON_EXTRACT('{"a":{"b":2}}', '$.a') AS je`);
  await q(c, 'geometry', 'SELECT ST_AsText(g) AS wkt FROM m2_ext WHERE id = 1');
  await q(c, 'drop', 'DROP TABLE m2_ext');
  await c.end();
};

// LOAD DATA LOCAL INFILE: the file's content comes from the client (infileStreamFactory).
S.local_infile = async () => {
  const c = await connect();
  await setup(c, 'DROP TABLE IF EXISTS m2_infile');
  await q(c, 'create', 'CREATE TABLE m2_infile (id INT PRIMARY KEY, v VARCHAR(20))');
  const lines = [];
  for (let i = 1; i <= 1000; i++) lines.push(`${i},line ${i}`);
  const data = lines.join('\n') + '\n';
  await q(c, 'load data local', {
    sql: "LOAD DATA LOCAL INFILE 'm2-data.csv' INTO TABLE m2_infile FIELDS TERMINATED BY ',' (id, v)",
    infileStreamFactory: () => Readable.from([Buffer.from(data.slice(0, 5000)), Buffer.from(data.slice(5000))]),
  });
  await q(c, 'loaded', 'SELECT COUNT(*) AS n, SUM(id) AS s, MAX(v) AS mx FROM m2_infile');
  await q(c, 'load data local (duplicates, warnings)', {
    sql: "LOAD DATA LOCAL INFILE 'm2-dup.csv' IGNORE INTO TABLE m2_infile FIELDS TERMINATED BY ',' (id, v)",
    infileStreamFactory: () => Readable.from([Buffer.from('1,dup\n1001,new\n')]),
  });
  await q(c, 'load data local (empty file)', {
    sql: "LOAD DATA LOCAL INFILE 'm2-empty.csv' INTO TABLE m2_infile FIELDS TERMINATED BY ','",
    infileStreamFactory: () => Readable.from([]),
  });
  await q(c, 'after', 'SELECT COUNT(*) AS n FROM m2_infile');
  await q(c, 'drop', 'DROP TABLE m2_infile');
  await c.end();
};

// The compressed protocol: the client asks for it; the session's own status shows whether the
// connection that executes the statements is compressed.
S.compress = async () => {
  const c = await connect({ compress: true });
  await q(c, 'status', "SHOW SESSION STATUS LIKE 'Compression'");
  await q(c, 'result', "SELECT REPEAT('z', 300000) AS r, 1 AS one");
  await x(c, 'execute', 'SELECT ? AS p, REPEAT(?, 100000) AS r', [1, 'ab']);
  await c.end();
};

// TLS towards the server (or weft), verified against the sandbox's CA.
S.tls = async () => {
  const ca = fs.readFileSync(process.env.CLIENT_TLS_CA);
  const c = await connect({ ssl: { ca, rejectUnauthorized: true } });
  out(`tls socket encrypted: ${!!(c.connection.stream && c.connection.stream.encrypted)}`);
  await q(c, 'select', "SELECT 1 AS one, 'over tls' AS s");
  await x(c, 'execute', 'SELECT ? AS p', ['tls']);
  await c.end();
};

(async () => {
  for (const name of sections) {
    out(`== ${name}`);
    if (!S[name]) { out(`FATAL unknown section ${name}`); process.exit(2); }
    try {
      await S[name]();
    } catch (e) {
      if (e.sqlState) out(`FATAL errno=${e.errno} sqlstate=${e.sqlState} code=${e.code} msg=${JSON.stringify(e.sqlMessage)}`);
      else out(`FATAL client error code=${e.code} fatal=${!!e.fatal}`);
      console.error(e);
      process.exit(1);
    }
    out(`== end ${name}`);
  }
  process.exit(0);
})();

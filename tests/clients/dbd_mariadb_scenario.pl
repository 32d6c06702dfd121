#!/usr/bin/perl
# Conformance scenario for Perl DBI + DBD::MariaDB (tests/clients/dbd_mariadb.sh runs it directly
# and through weft and diffs the transcripts).
#
#   perl dbd_mariadb_scenario.pl HOST PORT SECTION...
#
# Prints a canonical transcript: every result set (column names, MariaDB and DBI types, and each
# value with the kind of Perl scalar DBD::MariaDB made of it: IV, NV or PV, UTF-8 flag), rows
# affected, insert ids, warning counts, and for each error err/state/errstr. Nothing that
# legitimately differs between two connections (thread ids, server version, timestamps) is
# printed. Each section ends with "== end SECTION"; a section that dies prints "FATAL ..." and the
# script exits 1. Tables are named dbd_* in weft_test.
use strict;
use warnings;
use B ();
use DBI;
use Digest::SHA qw(sha256_hex);

binmode STDOUT, ':encoding(UTF-8)';
$| = 1;
my ($HOST, $PORT, @SECTIONS) = @ARGV;
die "usage: perl dbd_mariadb_scenario.pl HOST PORT SECTION...\n" unless $HOST && $PORT && @SECTIONS;

sub out { print "$_[0]\n" }

sub connect_db {
  my (%opt) = @_;
  my $dsn = "DBI:MariaDB:database=weft_test;host=$HOST;port=$PORT";
  $dsn .= ";$_=$opt{$_}" for sort keys %opt;
  my $dbh = DBI->connect($dsn, 'app', 'app-secret',
    { RaiseError => 0, PrintError => 0, PrintWarn => 0, AutoCommit => 1 })
    or die "connect failed: err=" . ($DBI::err // 'undef') . " state=" . ($DBI::state // '') . "\n";
  return $dbh;
}

# The kind of scalar the driver returned, then the value (digested when long).
sub fmt {
  my ($v) = @_;
  return 'undef' unless defined $v;
  my $flags = B::svref_2object(\$v)->FLAGS;
  my $kind = ($flags & B::SVf_IOK) ? 'IV' : ($flags & B::SVf_NOK) ? 'NV' : 'PV';
  my $u = utf8::is_utf8($v) ? 'utf8' : 'bytes';
  if ($kind eq 'PV') {
    my $len = length $v;
    if ($len > 64) {
      my $b = $v; utf8::encode($b) if utf8::is_utf8($b);
      return "PV/$u($len,sha256=" . substr(sha256_hex($b), 0, 16) . ")";
    }
    return "PV/$u:" . ($v =~ /[^\x20-\x7e\x{a0}-\x{10ffff}]/ ? 'hex:' . unpack('H*', do { my $b = $v; utf8::encode($b) if utf8::is_utf8($b); $b }) : "'$v'");
  }
  return "$kind:$v";
}

sub err_line {
  my ($label, $h) = @_;
  out("$label: error err=" . ($h->err // 'undef') . " state=" . ($h->state // '') . " errstr=" . ($h->errstr // ''));
}

sub print_columns {
  my ($sth) = @_;
  my @cols;
  for my $i (0 .. $sth->{NUM_OF_FIELDS} - 1) {
    push @cols, sprintf('%s(mariadb_type=%s,%s,dbi=%s,prec=%s,scale=%s,nullable=%s)', $sth->{NAME}[$i],
      $sth->{mariadb_type}[$i] // 'undef', $sth->{mariadb_type_name}[$i] // 'undef', $sth->{TYPE}[$i] // 'undef',
      $sth->{PRECISION}[$i] // 'undef', $sth->{SCALE}[$i] // 'undef', $sth->{NULLABLE}[$i] // 'undef');
  }
  out('  columns: ' . join(' ', @cols));
}

# Prints what an executed statement handle holds: result set (all rows) or rows affected.
sub print_sth {
  my ($sth, $rv) = @_;
  if ($sth->{NUM_OF_FIELDS}) {
    print_columns($sth);
    my $rows = $sth->fetchall_arrayref;
    if ($sth->err) { err_line('  fetch', $sth); }
    out('  rows: ' . scalar(@$rows) . ' rv=' . ($rv // 'undef'));
    out('  row: ' . join(' | ', map { fmt($_) } @$_)) for @$rows;
  } else {
    out('  ok: rv=' . ($rv // 'undef') . ' rows=' . $sth->rows . ' insertid=' . ($sth->{mariadb_insertid} // 'undef'));
  }
  out('  warnings=' . ($sth->{mariadb_warning_count} // 'undef'));
}

# prepare + execute + print (all result sets when more_results says so); errors are printed.
sub run {
  my ($dbh, $label, $sql, @bind) = @_;
  out("run $label");
  my $sth = $dbh->prepare($sql);
  unless ($sth) { err_line('  prepare', $dbh); return; }
  my $rv = $sth->execute(@bind);
  unless (defined $rv) { err_line('  execute', $sth); return; }
  my $n = 0;
  while (1) {
    out("  -- result $n") if $n;
    print_sth($sth, $rv);
    $n++;
    # With server-side prepared statements DBD::MariaDB cannot read further result sets (2054).
    last if $dbh->{mariadb_server_prepare} || !$sth->more_results;
    $rv = $sth->rows;
  }
  if ($sth->err) { err_line('  more_results', $sth); }
  return $sth;
}

sub do_sql {
  my ($dbh, $label, $sql, @bind) = @_;
  my $rv = $dbh->do($sql, undef, @bind);
  if (defined $rv) {
    out("do $label: rv=$rv insertid=" . ($dbh->{mariadb_insertid} // 'undef') . ' warnings=' . ($dbh->{mariadb_warning_count} // 'undef') .
      ' info=' . ($dbh->{mariadb_info} // 'undef'));
  } else {
    err_line("do $label", $dbh);
  }
}

sub setup { my ($dbh, $sql) = @_; $dbh->do($sql) // err_line("setup $sql", $dbh); }

# The same statements with server-side (COM_STMT_*) and client-side prepared statements.
sub statements {
  my ($server_prepare) = @_;
  my $dbh = connect_db(mariadb_server_prepare => $server_prepare);
  out("mariadb_server_prepare=$dbh->{mariadb_server_prepare}");
  my $t = "dbd_ps$server_prepare";
  setup($dbh, "DROP TABLE IF EXISTS $t");
  do_sql($dbh, 'create', "CREATE TABLE $t (id INT AUTO_INCREMENT PRIMARY KEY, i INT, bi BIGINT, u BIGINT UNSIGNED,
      f DOUBLE, fl FLOAT, de DECIMAL(10,3), s VARCHAR(50), b BLOB, d DATE, dt DATETIME(3), tm TIME, n INT, bt BIT(4), j JSON)
      DEFAULT CHARSET=utf8mb4");
  my $ins = "INSERT INTO $t (i, bi, u, f, fl, de, s, b, d, dt, tm, n, bt, j) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, b'1010', ?)";
  run($dbh, 'insert 1', $ins, 42, '-9223372036854775808', '18446744073709551615', 3.25, 1.5, '12.5', "h\x{e9}llo \x{263a}",
      "\x00\x01\xff", '2024-02-29', '2024-02-29 12:34:56.789', '-10:11:12', undef, '{"a":1}');
  run($dbh, 'insert 2', $ins, -1, 0, 0, -0.5, 0, '-0.001', '', '', '1999-12-31', '1999-12-31 23:59:59', '00:00:00', 7, '[]');
  run($dbh, 'insert 3 (all NULL)', $ins, (undef) x 13);
  out("last_insert_id=" . ($dbh->last_insert_id(undef, undef, $t, 'id') // 'undef') . " dbh insertid=" . ($dbh->{mariadb_insertid} // 'undef'));
  run($dbh, 'select all', "SELECT * FROM $t ORDER BY id");
  run($dbh, 'select placeholders', "SELECT id, s, b FROM $t WHERE i = ? OR s = ? ORDER BY id", 42, '');
  run($dbh, 'select param types', 'SELECT ? AS a, ? AS b, ? AS c, ? + 1 AS d, CONCAT(?, ?) AS e', 1, 'x', undef, 41, "\x{e9}", 'z');
  run($dbh, 'select literals', "SELECT 1 AS i, 2.5 AS d, 1e3 AS f, 'str' AS s, NULL AS n, X'00ff' AS x, DATE'2024-02-29' AS dd, 9007199254740993 AS big");
  my $sth = $dbh->prepare("SELECT ? * 2 AS twice");
  for my $v (1, 21, -4) { $sth->execute($v); out("re-execute $v: " . join(',', map { fmt($_) } $sth->fetchrow_array)); $sth->finish; }
  # A blob needs SQL_BLOB: other parameters are sent as UTF-8 text.
  $sth = $dbh->prepare("INSERT INTO $t (b, s) VALUES (?, ?)");
  $sth->bind_param(1, "\x00\x01\xff\x80", DBI::SQL_BLOB());
  $sth->bind_param(2, 'blob row');
  out('insert blob: rv=' . $sth->execute . " insertid=$sth->{mariadb_insertid}");
  run($dbh, 'select blob', "SELECT b, LENGTH(b) AS len, HEX(b) AS hx FROM $t WHERE s = ?", 'blob row');
  # bind_param with an explicit SQL type.
  $sth = $dbh->prepare("SELECT ? AS typed_int, ? AS typed_varchar");
  $sth->bind_param(1, '123', DBI::SQL_INTEGER());
  $sth->bind_param(2, 456, DBI::SQL_VARCHAR());
  $sth->execute;
  out('bind_param: ' . join(',', map { fmt($_) } $sth->fetchrow_array));
  $sth->finish;
  run($dbh, 'update', "UPDATE $t SET s = ? WHERE id > ?", 'upd', 1);
  run($dbh, 'update same', "UPDATE $t SET s = ? WHERE id > ?", 'upd', 1);
  run($dbh, 'delete', "DELETE FROM $t WHERE id = ?", 3);
  run($dbh, 'duplicate key at execute', "INSERT INTO $t (id) VALUES (?)", 1);
  run($dbh, 'unknown table', 'SELECT * FROM dbd_no_such_table WHERE id = ?', 1);
  run($dbh, 'syntax error', 'SELEC ?', 1);
  run($dbh, 'warning', "SELECT 1/0 AS z, CAST(? AS INT) AS c", '12abc');
  run($dbh, 'show warnings', 'SHOW WARNINGS');
  run($dbh, 'fetchrow loop', "SELECT seq FROM seq_1_to_5 WHERE seq > ?", 2);
  my $all = $dbh->selectall_arrayref("SELECT id, s FROM $t ORDER BY id", { Slice => {} });
  out('selectall_arrayref Slice: ' . join(' ; ', map { my $r = $_; join(',', map { "$_=" . fmt($r->{$_}) } sort keys %$r) } @$all));
  my ($cnt) = $dbh->selectrow_array("SELECT COUNT(*) FROM $t WHERE id >= ?", undef, 1);
  out('selectrow_array: ' . fmt($cnt));
  do_sql($dbh, 'drop', "DROP TABLE $t");
  $dbh->disconnect;
}

my %S;
$S{server_prepare} = sub { statements(1) };
$S{client_prepare} = sub { statements(0) };

$S{transactions} = sub {
  my $dbh = connect_db();
  setup($dbh, 'DROP TABLE IF EXISTS dbd_tx');
  do_sql($dbh, 'create', 'CREATE TABLE dbd_tx (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB');
  $dbh->{AutoCommit} = 0;
  out("AutoCommit=" . ($dbh->{AutoCommit} ? 1 : 0));
  do_sql($dbh, 'insert', 'INSERT INTO dbd_tx (v) VALUES (?)', 'rolled');
  run($dbh, 'in tx', 'SELECT @@in_transaction AS t, @@autocommit AS ac, COUNT(*) AS n FROM dbd_tx');
  out('rollback: ' . ($dbh->rollback ? 1 : 0));
  run($dbh, 'after rollback', 'SELECT COUNT(*) AS n FROM dbd_tx');
  do_sql($dbh, 'insert', 'INSERT INTO dbd_tx (v) VALUES (?), (?)', 'kept1', 'kept2');
  out('commit: ' . ($dbh->commit ? 1 : 0));
  do_sql($dbh, 'insert', 'INSERT INTO dbd_tx (v) VALUES (?)', 'undone');
  out('rollback: ' . ($dbh->rollback ? 1 : 0));
  $dbh->{AutoCommit} = 1;
  out("AutoCommit=" . ($dbh->{AutoCommit} ? 1 : 0));
  out('begin_work: ' . ($dbh->begin_work ? 1 : 0));
  do_sql($dbh, 'insert', 'INSERT INTO dbd_tx (v) VALUES (?)', 'bw');
  run($dbh, 'in begin_work', 'SELECT @@in_transaction AS t, @@autocommit AS ac');
  out('commit: ' . ($dbh->commit ? 1 : 0) . " AutoCommit=" . ($dbh->{AutoCommit} ? 1 : 0));
  run($dbh, 'final', 'SELECT @@in_transaction AS t, id, v FROM dbd_tx ORDER BY id');
  do_sql($dbh, 'drop', 'DROP TABLE dbd_tx');
  $dbh->disconnect;
};

$S{errors} = sub {
  my $dbh = connect_db();
  setup($dbh, 'DROP TABLE IF EXISTS dbd_err');
  do_sql($dbh, 'create', 'CREATE TABLE dbd_err (id INT PRIMARY KEY, v VARCHAR(5) NOT NULL)');
  do_sql($dbh, 'insert', 'INSERT INTO dbd_err VALUES (1, ?)', 'a');
  do_sql($dbh, 'duplicate key 1062', 'INSERT INTO dbd_err VALUES (1, ?)', 'b');
  do_sql($dbh, 'syntax 1064', 'SELEC 1');
  do_sql($dbh, 'unknown table 1146', 'SELECT * FROM dbd_no_such_table');
  do_sql($dbh, 'unknown column 1054', 'SELECT nope FROM dbd_err');
  do_sql($dbh, 'null into not null 1048', 'INSERT INTO dbd_err VALUES (2, NULL)');
  do_sql($dbh, 'data too long 1406', 'INSERT INTO dbd_err VALUES (3, ?)', 'toolong');
  do_sql($dbh, 'unknown database 1049', 'USE dbd_no_such_db');
  do_sql($dbh, 'signal 1644', "SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 1644, MESSAGE_TEXT = 'custom'");
  do_sql($dbh, 'insert ignore (warning)', 'INSERT IGNORE INTO dbd_err VALUES (1, ?)', 'c');
  # RaiseError: the error as an exception.
  {
    local $dbh->{RaiseError} = 1;
    eval { $dbh->do('SELECT * FROM dbd_no_such_table'); 1 } or out('RaiseError: died, err=' . $dbh->err . ' state=' . $dbh->state);
  }
  run($dbh, 'still alive', "SELECT 'alive' AS s, COUNT(*) AS n FROM dbd_err");
  out('ping: ' . ($dbh->ping ? 1 : 0));
  do_sql($dbh, 'drop', 'DROP TABLE dbd_err');
  $dbh->disconnect;
  my $bad = DBI->connect("DBI:MariaDB:database=weft_test;host=$HOST;port=$PORT", 'app', 'wrong', { PrintError => 0, RaiseError => 0 });
  out('wrong password: ' . ($bad ? 'connected' : "err=$DBI::err state=$DBI::state errstr=$DBI::errstr"));
  $bad = DBI->connect("DBI:MariaDB:database=dbd_no_such_db;host=$HOST;port=$PORT", 'app', 'app-secret', { PrintError => 0, RaiseError => 0 });
  out('unknown database: ' . ($bad ? 'connected' : "err=$DBI::err state=$DBI::state errstr=$DBI::errstr"));
};

$S{multi} = sub {
  # Client-side prepare only: with mariadb_server_prepare=1 the server refuses multi-statements
  # (1064) and DBD::MariaDB cannot read a CALL's further result sets (2054).
  for my $sp (0) {
    my $dbh = connect_db(mariadb_multi_statements => 1, mariadb_server_prepare => $sp);
    out("-- mariadb_multi_statements=1 mariadb_server_prepare=$sp");
    setup($dbh, 'DROP TABLE IF EXISTS dbd_multi');
    setup($dbh, 'DROP PROCEDURE IF EXISTS dbd_proc');
    do_sql($dbh, 'create', 'CREATE TABLE dbd_multi (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10))');
    # Multi-statements go through COM_QUERY (the server cannot prepare them; DBD falls back).
    run($dbh, 'several result sets', "SELECT 1 AS a; SELECT 'x' AS b, 2 AS c; INSERT INTO dbd_multi (v) VALUES ('p'), ('q'); " .
        "SELECT id, v FROM dbd_multi ORDER BY id; DO 1; SELECT * FROM dbd_multi WHERE 1 = 0");
    run($dbh, 'error in the middle', 'SELECT 1 AS first; SELECT * FROM dbd_no_such_table; SELECT 3 AS never');
    run($dbh, 'after error', "SELECT 'alive' AS s");
    do_sql($dbh, 'create procedure', 'CREATE PROCEDURE dbd_proc(IN n INT) BEGIN SELECT n AS n_in; ' .
        "SELECT id, v FROM dbd_multi ORDER BY id; UPDATE dbd_multi SET v = 'u' WHERE id > n; END");
    run($dbh, 'call', 'CALL dbd_proc(?)', 1);
    run($dbh, 'after call', 'SELECT v FROM dbd_multi ORDER BY id');
    do_sql($dbh, 'teardown', 'DROP PROCEDURE dbd_proc; DROP TABLE dbd_multi');
    $dbh->disconnect;
  }
};

$S{insert_id} = sub {
  for my $sp (0, 1) {
    my $dbh = connect_db(mariadb_server_prepare => $sp);
    out("-- mariadb_server_prepare=$sp");
    setup($dbh, 'DROP TABLE IF EXISTS dbd_ids');
    do_sql($dbh, 'create', 'CREATE TABLE dbd_ids (id BIGINT AUTO_INCREMENT PRIMARY KEY, k INT UNIQUE, v INT) AUTO_INCREMENT=1000');
    my $sth = $dbh->prepare('INSERT INTO dbd_ids (k, v) VALUES (?, ?)');
    for my $k (1 .. 3) {
      $sth->execute($k, $k * 10);
      out("insert k=$k: sth insertid=$sth->{mariadb_insertid} dbh insertid=$dbh->{mariadb_insertid} last_insert_id=" .
        $dbh->last_insert_id(undef, undef, 'dbd_ids', 'id'));
    }
    do_sql($dbh, 'multi-row', 'INSERT INTO dbd_ids (k, v) VALUES (10, 1), (11, 1), (12, 1)');
    do_sql($dbh, 'on duplicate key update', 'INSERT INTO dbd_ids (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = v + 1', 2, 0);
    do_sql($dbh, 'explicit id', 'INSERT INTO dbd_ids (id, k) VALUES (?, ?)', 5000, 20);
    do_sql($dbh, 'after explicit', 'INSERT INTO dbd_ids (k) VALUES (?)', 21);
    run($dbh, 'LAST_INSERT_ID()', 'SELECT LAST_INSERT_ID() AS lid');
    do_sql($dbh, 'LAST_INSERT_ID(expr)', 'UPDATE dbd_ids SET v = LAST_INSERT_ID(v + 100) WHERE k = ?', 1);
    run($dbh, 'LAST_INSERT_ID() after expr', 'SELECT LAST_INSERT_ID() AS lid');
    run($dbh, 'all', 'SELECT id, k, v FROM dbd_ids ORDER BY id');
    do_sql($dbh, 'drop', 'DROP TABLE dbd_ids');
    $dbh->disconnect;
  }
};

# LOAD DATA LOCAL INFILE (the file comes from the client).
$S{local_infile} = sub {
  my $path = ($ENV{TMPDIR} // '/tmp') . "/dbd-infile-$$.csv";
  open(my $fh, '>', $path) or die "cannot write $path: $!";
  print $fh "$_,line $_\n" for 1 .. 1000;
  close $fh;
  my $dbh = connect_db(mariadb_local_infile => 1);
  setup($dbh, 'DROP TABLE IF EXISTS dbd_infile');
  do_sql($dbh, 'create', 'CREATE TABLE dbd_infile (id INT PRIMARY KEY, v VARCHAR(20))');
  my $rv = $dbh->do("LOAD DATA LOCAL INFILE '$path' INTO TABLE dbd_infile FIELDS TERMINATED BY ',' (id, v)");
  if (defined $rv) { out("load data local: rv=$rv info=" . ($dbh->{mariadb_info} // 'undef')); } else { err_line('load data local', $dbh); }
  run($dbh, 'loaded', 'SELECT COUNT(*), SUM(id), MAX(v) FROM dbd_infile');
  do_sql($dbh, 'drop', 'DROP TABLE dbd_infile');
  $dbh->disconnect;
  unlink $path;
};

# The compressed protocol: the session's own status shows whether its connection is compressed.
$S{compression} = sub {
  my $dbh = connect_db(mariadb_compression => 1);
  run($dbh, 'status', "SHOW SESSION STATUS LIKE 'Compression'");
  run($dbh, 'result', "SELECT REPEAT('z', 300000) AS r, ? AS p", 1);
  $dbh->disconnect;
};

# TLS, verified against the sandbox's CA; mariadb_ssl=1 refuses a server without TLS.
$S{tls} = sub {
  my $dbh = connect_db(mariadb_ssl => 1, mariadb_ssl_verify_server_cert => 1, mariadb_ssl_ca_file => $ENV{CLIENT_TLS_CA});
  out('encrypted: ' . (defined $dbh->{mariadb_ssl_cipher} ? 'yes' : 'no'));
  run($dbh, 'select', "SELECT 1 AS one, 'over tls' AS s");
  $dbh->disconnect;
};

for my $name (@SECTIONS) {
  out("== $name");
  unless ($S{$name}) { out("FATAL unknown section $name"); exit 2; }
  unless (eval { $S{$name}->(); 1 }) {
    my $e = $@; $e =~ s/\s+$//;
    out("FATAL $e");
    exit 1;
  }
  out("== end $name");
}
exit 0;

"""Runs a small script of raw-protocol commands against one port and prints a canonical transcript
of every packet the server answers: OK (affected rows, insert id, status flags, warnings, info),
EOF, ERR (code, SQLSTATE, message), column definitions and rows. Nothing connection-specific is
printed: no thread id, server version or scramble; statement ids are shown as their ordinal in the
session (#1, #2, ...). Standard library only (run with /usr/bin/python3).

Usage: /usr/bin/python3 wire.py PORT [--deprecate-eof] < SCRIPT     (user app, database weft_test)

Script lines (one command per line; blank lines and lines starting with '#' are ignored):
  SQL...                 COM_QUERY (any line that is not one of the commands below)
  prepare SQL            COM_STMT_PREPARE; the statement becomes the current one
  execute [JSON list]    COM_STMT_EXECUTE of the current statement (ints, strings, null)
  execute_last [JSON]    the same with statement id 0xFFFFFFFF ("the statement just prepared")
  cursor [JSON list]     COM_STMT_EXECUTE with CURSOR_TYPE_READ_ONLY (cursor_last: id 0xFFFFFFFF)
  fetch N                COM_STMT_FETCH of N rows
  use K                  the K-th statement prepared in this session becomes the current one
  close_stmt | reset_stmt  COM_STMT_CLOSE (no answer) | COM_STMT_RESET
  pipeline ... end       the commands in between are sent in ONE write, then answered in order
  retry N SQL            COM_QUERY again (0.2 s apart, at most N times) while it answers ERR
  state                  the session state (autocommit, transaction, schema, sql_mode, ...)
  connect | quit | vanish  a new session | COM_QUIT | close the socket without COM_QUIT
  ping | reset_connection  COM_PING | COM_RESET_CONNECTION
  shell CMD              runs `bash -c CMD` (the environment includes PORT); prints its stdout
  sleep S | echo TEXT
"""
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'integration'))
from wire_client import CAPS, Conn, execute_body, frame, native_token  # noqa: E402

DEPRECATE_EOF = 0x01000000
PS_MULTI_RESULTS = 0x00040000
CONNECT_WITH_DB = 0x00000008
MORE_RESULTS = 0x0008
CURSOR_EXISTS = 0x0040
CURSOR_READ_ONLY = 0x01
LAST_ID = 0xFFFFFFFF

STATE_SQL = ('SELECT @@autocommit, @@in_transaction, DATABASE(), @@sql_mode, @@character_set_client, '
             '@@character_set_results, @@collation_connection, @@time_zone, @@tx_isolation, '
             '@@last_insert_id, @@warning_count, @@error_count, @@default_storage_engine, '
             '@@max_statement_time, @@foreign_key_checks, @@unique_checks, @@sql_select_limit')


def lenenc(b, pos):
    """(value, next position) of a length-encoded integer; value None for 0xFB (NULL)."""
    first = b[pos]
    if first < 0xFB:
        return first, pos + 1
    if first == 0xFB:
        return None, pos + 1
    size = {0xFC: 2, 0xFD: 3, 0xFE: 8}[first]
    return int.from_bytes(b[pos + 1:pos + 1 + size], 'little'), pos + 1 + size


def lenenc_bytes(b, pos):
    n, pos = lenenc(b, pos)
    if n is None:
        return None, pos
    return b[pos:pos + n], pos + n


def show(value):
    """A value as text; long or binary values as length + SHA-256 prefix."""
    if value is None:
        return 'NULL'
    if len(value) <= 400:
        try:
            text = value.decode()
            if text.isprintable():
                return repr(text)
        except UnicodeDecodeError:
            pass
        if len(value) <= 32:
            return 'x' + value.hex()
    return f'<{len(value)} bytes sha256:{hashlib.sha256(value).hexdigest()[:16]}>'


def ok_text(p):
    affected, pos = lenenc(p, 1)
    insert_id, pos = lenenc(p, pos)
    status, warnings = struct.unpack_from('<HH', p, pos)
    info = p[pos + 4:]
    if info:  # MariaDB sends the message length-encoded
        n, start = lenenc(info, 0)
        if n is not None and start + n == len(info):
            info = info[start:]
    return f'OK affected={affected} insert_id={insert_id} status=0x{status:04x} warnings={warnings} info={show(info)}', status


def eof_text(p):
    warnings, status = struct.unpack_from('<HH', p, 1)
    return f'EOF warnings={warnings} status=0x{status:04x}', status


def err_text(p, stmts=()):
    """An ERR packet; a statement id the session was given, named in the message as "(N)", is
    shown as its ordinal "(#k)" like everywhere else."""
    code = p[1] | p[2] << 8
    state, message = (p[4:9].decode(), p[9:]) if p[3:4] == b'#' else ('(no sqlstate)', p[3:])
    for k, stmt in enumerate(stmts, 1):
        message = message.replace(f'({stmt})'.encode(), f'(#{k})'.encode())
    return f'ERR {code} {state} {show(message)}'


def column_text(p):
    pos, names = 0, []
    for _ in range(6):  # catalog, schema, table, org_table, name, org_name
        s, pos = lenenc_bytes(p, pos)
        names.append(s.decode(errors='replace'))
    _, pos = lenenc(p, pos)
    charset, length, ctype, flags, decimals = struct.unpack_from('<HIBHB', p, pos)
    return (f'column {names[1]}.{names[2]}({names[3]}).{names[4]}({names[5]}) type={ctype} '
            f'length={length} charset={charset} flags=0x{flags:04x} decimals={decimals}')


def text_row(p):
    pos, values = 0, []
    while pos < len(p):
        v, pos = lenenc_bytes(p, pos)
        values.append(show(v))
    return 'row ' + ' | '.join(values)


def is_terminator(p):
    return p[0] == 0xFE and len(p) < 0xFFFFFF


class Session:
    """One client session on PORT, printing what the server answers."""

    def __init__(self, port, deprecate_eof):
        self.port, self.deprecate_eof = port, deprecate_eof
        self.conn = Conn(port, timeout=30)
        self.stmts = []     # server statement ids, in the order this session prepared them
        self.current = None
        self.login()

    def out(self, seq, text):
        print(f'  #{seq} {text}', flush=True)

    def read(self):
        return self.conn.read_packet()

    def login(self):
        scramble = self.conn.greeting_scramble()
        caps = CAPS | PS_MULTI_RESULTS | CONNECT_WITH_DB | (DEPRECATE_EOF if self.deprecate_eof else 0)
        body = struct.pack('<IIB', caps, 1 << 24, 45) + b'\0' * 23 + b'app\0'
        token = native_token('app-secret', scramble)
        body += bytes([len(token)]) + token + b'weft_test\0mysql_native_password\0'
        self.conn.send(frame(body, 1))
        seq, p = self.read()
        self.out(seq, 'login ' + (ok_text(p)[0] if p[0] == 0 else err_text(p, self.stmts) if p[0] == 0xFF else 'other ' + p[:1].hex()))

    # --- answers -------------------------------------------------------------------------
    def answer(self, kind):
        """Prints one whole answer: kind is 'query', 'execute', 'cursor', 'fetch' or 'prepare'."""
        if kind == 'prepare':
            return self.prepare_answer()
        if kind == 'fetch':
            return self.rows(binary=True)
        while True:
            seq, p = self.read()
            if p[0] == 0xFF:
                return self.out(seq, err_text(p, self.stmts))
            if p[0] == 0x00:
                text, status = ok_text(p)
                self.out(seq, text)
            elif p[0] == 0xFB:
                return self.out(seq, 'LOCAL INFILE request (not supported here)')
            else:
                status = self.result_set(seq, p, kind)
            if not status & MORE_RESULTS:
                return

    def result_set(self, seq, p, kind):
        count, _ = lenenc(p, 0)
        self.out(seq, f'result set: {count} columns')
        for _ in range(count):
            seq, c = self.read()
            self.out(seq, column_text(c))
        if not self.deprecate_eof:
            seq, e = self.read()
            text, status = eof_text(e)
            self.out(seq, text)
            if kind == 'cursor' and status & CURSOR_EXISTS:
                return status  # a cursor is open: rows come with COM_STMT_FETCH
        return self.rows(binary=kind != 'query')

    def rows(self, binary):
        """Rows up to the terminator (EOF, or OK with DEPRECATE_EOF); returns its status."""
        while True:
            seq, p = self.read()
            if p[0] == 0xFF:
                self.out(seq, err_text(p, self.stmts))
                return 0
            if is_terminator(p):
                text, status = ok_text(p) if self.deprecate_eof else eof_text(p)
                self.out(seq, text)
                return status
            self.out(seq, ('row bin ' + show(p)) if binary else text_row(p))

    def prepare_answer(self):
        seq, p = self.read()
        if p[0] == 0xFF:
            return self.out(seq, err_text(p, self.stmts))
        stmt, cols, params, warnings = struct.unpack_from('<IHHxH', p, 1)
        self.stmts.append(stmt)
        self.current = stmt
        self.out(seq, f'prepared #{len(self.stmts)} columns={cols} params={params} warnings={warnings}')
        for count in (params, cols):
            for _ in range(count):
                seq, c = self.read()
                self.out(seq, column_text(c))
            if count and not self.deprecate_eof:
                seq, e = self.read()
                self.out(seq, eof_text(e)[0])

    # --- commands ------------------------------------------------------------------------
    def request(self, line):
        """(frame bytes, answer kind or None) for one script line."""
        word, _, rest = line.partition(' ')
        values = json.loads(rest) if word in ('execute', 'execute_last', 'cursor', 'cursor_last') and rest.strip() else []
        if word == 'prepare':
            return frame(b'\x16' + rest.encode(), 0), 'prepare'
        if word in ('execute', 'execute_last', 'cursor', 'cursor_last'):
            stmt = LAST_ID if word.endswith('_last') else self.current if self.current is not None else 0
            cursor = word.startswith('cursor')
            return frame(execute_body(stmt, values, CURSOR_READ_ONLY if cursor else 0), 0), 'cursor' if cursor else 'execute'
        if word == 'fetch':
            return frame(struct.pack('<BII', 0x1C, self.current or 0, int(rest)), 0), 'fetch'
        if word == 'close_stmt':
            return frame(struct.pack('<BI', 0x19, self.current or 0), 0), None
        if word == 'reset_stmt':
            return frame(struct.pack('<BI', 0x1A, self.current or 0), 0), 'query'
        if word == 'ping':
            return frame(b'\x0e', 0), 'query'
        if word == 'reset_connection':
            return frame(b'\x1f', 0), 'query'
        if word == 'state':
            return frame(b'\x03' + STATE_SQL.encode(), 0), 'query'
        return frame(b'\x03' + line.encode(), 0), 'query'

    def run(self, line):
        data, kind = self.request(line)
        self.conn.send(data)
        if kind:
            self.answer(kind)

    def pipeline(self, lines):
        """All requests in one write. An execute of the statement a prepare in the same pipeline
        makes must use execute_last: its id is not known before the answers are read."""
        requests = [self.request(line) for line in lines]
        self.conn.send(b''.join(data for data, _ in requests))
        for line, (_, kind) in zip(lines, requests):
            print(f'  answer to: {line[:60]}')
            if kind:
                self.answer(kind)

    def retry(self, tries, sql):
        for _ in range(tries - 1):
            self.conn.send(frame(b'\x03' + sql.encode(), 0))
            seq, p = self.read()
            if p[0] != 0xFF:
                self.conn.buf = frame(p, seq) + self.conn.buf  # answer it below
                break
            time.sleep(0.2)
        else:
            self.conn.send(frame(b'\x03' + sql.encode(), 0))
        self.answer('query')

    def close(self, polite=True):
        if polite:
            self.conn.send(frame(b'\x01', 0))
        self.conn.sock.close()


def main():
    port = int(sys.argv[1])
    deprecate_eof = '--deprecate-eof' in sys.argv[2:]
    session = Session(port, deprecate_eof)
    lines = [line.rstrip('\n') for line in sys.stdin]
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line or line.startswith('#'):
            continue
        print(f'> {line[:200]}', flush=True)
        word, _, rest = line.partition(' ')
        if word == 'pipeline':
            end = lines.index('end', i)
            session.pipeline([x.strip() for x in lines[i:end] if x.strip()])
            i = end + 1
        elif word == 'use':
            session.current = session.stmts[int(rest) - 1]
        elif word == 'retry':
            tries, _, sql = rest.partition(' ')
            session.retry(int(tries), sql)
        elif word == 'connect':
            if session:
                session.close()
            session = Session(port, deprecate_eof)
        elif word in ('quit', 'vanish'):
            session.close(polite=word == 'quit')
            session = None
        elif word == 'shell':
            done = subprocess.run(['bash', '-c', rest], env=dict(os.environ, PORT=str(port)),
                                  stdout=subprocess.PIPE, text=True, check=False)
            sys.stdout.write(done.stdout)
            if done.returncode:
                print(f'  shell exit {done.returncode}')
        elif word == 'sleep':
            time.sleep(float(rest))
        elif word == 'echo':
            print(rest)
        else:
            session.run(line)
    if session:
        session.close()


if __name__ == '__main__':
    try:
        main()
    except (EOFError, ConnectionError, socket.timeout) as e:
        print(f'  CONNECTION LOST: {type(e).__name__}: {e}')
        sys.exit(3)

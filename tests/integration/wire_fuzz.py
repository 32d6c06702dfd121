"""A wire fuzzer against a live weft: mutated packets before login (handshake responses) and
after it (COM_QUERY, COM_STMT_*, COM_CHANGE_USER, multi-frame packets), from a few connections
at once, while a bystander session checks that every answer it gets is its own.

Rules checked (each breach is a failure, printed with the case id that replays it):
  - after login, every command the protocol answers gets an answer (OK, ERR, result) or a clean
    disconnect within ANSWER_BOUND s; COM_STMT_SEND_LONG_DATA and COM_STMT_CLOSE get NO answer;
    a session that survives answers a probe `SELECT <n>` with exactly n (answers stay in sync);
  - before login, weft answers or closes, and closes every connection that did not log in within
    PRELOGIN_BOUND s of connecting (its handshake timeout is 10 s);
  - ERR packets are well formed (code, '#', 5-character SQLSTATE);
  - the bystander, a separate session running `SELECT <counter>` in a loop, never sees a wrong,
    late (> ANSWER_BOUND s) or missing answer, nor loses its connection.
What the server is sent is derived from the bytes actually written (frames re-parsed as weft
sees them), so any mutation of lengths, sequence ids or command bytes is judged consistently.

Usage: /usr/bin/python3 wire_fuzz.py PORT USER PASSWORD
  env WIRE_FUZZ_SEED (default: random, printed), WIRE_FUZZ_SECONDS (40), WIRE_FUZZ_CONNECTIONS
  (maximum fuzzed connections, 5000), WIRE_FUZZ_WORKERS (3), WIRE_FUZZ_CASE=SEED:WORKER:N (replay
  one connection's case, printing every batch).
Exit status 0 when no rule was broken. Standard library only (run with /usr/bin/python3).
"""
import os
import random
import re
import selectors
import socket
import struct
import sys
import threading
import time
from collections import Counter

sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_client import CAPS, frame, native_token  # noqa: E402

ANSWER_BOUND = 5.0      # s: an answer (or a disconnect) after login
PRELOGIN_BOUND = 12.0   # s from connect: weft's handshake timeout is 10 s
STALL_LINGER = 1.0      # s a post-login client waits inside an unfinished frame before leaving
MAX_PACKET = 0xFFFFFF

CLIENT_PROTOCOL_41 = 0x200
CLIENT_SSL = 0x800
CLIENT_COMPRESS = 0x20
CLIENT_CONNECT_WITH_DB = 0x8
CLIENT_CONNECT_ATTRS = 0x00100000
CLIENT_DEPRECATE_EOF = 0x01000000
STATUS_MORE_RESULTS = 0x0008
STATUS_CURSOR_EXISTS = 0x0040

COM_QUIT, COM_INIT_DB, COM_QUERY, COM_FIELD_LIST = 0x01, 0x02, 0x03, 0x04
COM_STATISTICS, COM_PING, COM_CHANGE_USER = 0x09, 0x0E, 0x11
COM_STMT_PREPARE, COM_STMT_EXECUTE, COM_STMT_SEND_LONG_DATA = 0x16, 0x17, 0x18
COM_STMT_CLOSE, COM_STMT_RESET, COM_SET_OPTION, COM_STMT_FETCH = 0x19, 0x1A, 0x1B, 0x1C
COM_RESET_CONNECTION, COM_STMT_BULK_EXECUTE = 0x1F, 0xFA
NO_ANSWER = {COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE}

# Command bytes a mutation may produce. Never COM_SHUTDOWN, COM_PROCESS_KILL, COM_REFRESH (its
# flags reset the binlog or replication), COM_DROP_DB, COM_REGISTER_SLAVE or a binlog dump: the
# fuzzer's account may do all of these to the shared sandbox. Other bytes become COM_QUERY.
SAFE_COMMANDS = ({0x00, COM_QUIT, COM_INIT_DB, COM_QUERY, COM_FIELD_LIST, COM_STATISTICS, COM_PING,
                  COM_CHANGE_USER, COM_STMT_PREPARE, COM_STMT_EXECUTE, COM_STMT_SEND_LONG_DATA,
                  COM_STMT_CLOSE, COM_STMT_RESET, COM_SET_OPTION, COM_STMT_FETCH,
                  COM_RESET_CONNECTION, COM_STMT_BULK_EXECUTE} | set(range(0x20, 0xFA)))

# Statements whose mutations stay harmless and quick: reads and session settings only, no
# SLEEP or BENCHMARK, no numbers a bit flip could make large.
QUERIES = [
    'SELECT 1', 'SELECT @@port', "SELECT 'abc', NULL, 2.5", 'DO 1', 'SHOW WARNINGS',
    'SELECT * FROM weft_test.seq_1_to_200', "SELECT REPEAT('x', 70000)", 'SELECT 1; SELECT 2',
    'SELECT 1; DO 2', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SET @fuzz = 7', 'SELECT @fuzz',
    'SET NAMES utf8mb4', 'SELECT DATABASE()', 'SELECT 1 FROM DUAL WHERE 1 = 0',
    'SELECT CONNECTION_ID() > 0', '/* weft: route=primary */ SELECT 3',
    'SELECT seq, seq * 2 FROM weft_test.seq_1_to_10 ORDER BY seq DESC',
]
PREPARES = ['SELECT ?', 'SELECT ?, @@port', 'SELECT seq FROM weft_test.seq_1_to_50 WHERE seq > ?',
            'SELECT ?, ?, CONCAT(?, ?)', 'DO ?', 'SELECT 1']


class Closed(Exception):
    """The peer closed the connection: EOF ('eof') or a reset ('reset')."""


class Timeout(Exception):
    """No complete answer within the bound."""


class Garbled(Exception):
    """Bytes that are no MySQL response."""


# ---------------------------------------------------------------------------------------------
# A connection with deadlines

class Wire:
    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=ANSWER_BOUND)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connected_at = time.monotonic()
        self.buf = b''
        self.deadline = None
        self.deprecate_eof = False  # both sides announced DEPRECATE_EOF (a mutated login may)
        self.server_caps = 0

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        try:
            self.sock.settimeout(ANSWER_BOUND)
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            raise Closed('reset')
        except (socket.timeout, TimeoutError):
            raise Closed('send-blocked')  # weft stopped reading: it is leaving

    def read_exact(self, n):
        while len(self.buf) < n:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise Timeout()
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 20)
            except (socket.timeout, TimeoutError):
                raise Timeout()
            except ConnectionResetError:
                raise Closed('reset')
            if not chunk:
                raise Closed('eof')
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def packet(self):
        h = self.read_exact(4)
        n = h[0] | h[1] << 8 | h[2] << 16
        payload = self.read_exact(n)
        while n == MAX_PACKET:  # a logical packet of several frames
            h = self.read_exact(4)
            n = h[0] | h[1] << 8 | h[2] << 16
            payload += self.read_exact(n)
        return payload

    def within(self, seconds):
        self.deadline = time.monotonic() + seconds
        return self


def lenenc(data, pos):
    """(value, next position) of a length-encoded integer."""
    b = data[pos]
    if b < 0xFB:
        return b, pos + 1
    if b == 0xFC:
        return int.from_bytes(data[pos + 1:pos + 3], 'little'), pos + 3
    if b == 0xFD:
        return int.from_bytes(data[pos + 1:pos + 4], 'little'), pos + 4
    if b == 0xFE:
        return int.from_bytes(data[pos + 1:pos + 9], 'little'), pos + 9
    raise Garbled('0xFB as a length')


def well_formed_err(p):
    return len(p) >= 9 and p[3:4] == b'#' and all(0x20 < c < 0x7F for c in p[4:9])


def err_text(p):
    code = p[1] | p[2] << 8 if len(p) >= 3 else -1
    return f'ERR {code} {p[9:].decode(errors="replace")[:80]}' if well_formed_err(p) else f'ERR {code} (malformed {p.hex()[:40]})'


def is_eof(p):
    return p[:1] == b'\xfe' and len(p) < 9


def eof_status(p):
    return int.from_bytes(p[3:5], 'little') if len(p) >= 5 else 0


def ok_status(p):
    """Status flags of an OK packet (after affected rows and insert id)."""
    try:
        _, pos = lenenc(p, 1)
        _, pos = lenenc(p, pos)
        return int.from_bytes(p[pos:pos + 2], 'little')
    except (IndexError, Garbled):
        raise Garbled('short OK packet ' + p.hex()[:40])


# ---------------------------------------------------------------------------------------------
# Reading one complete response, given the command it answers

class Answer:
    def __init__(self, kind, detail='', rows=None, err=None):
        self.kind, self.detail, self.rows, self.err = kind, detail, rows or [], err


def read_rows(w, deprecate_eof):
    """Rows up to the EOF (or OK with DEPRECATE_EOF); returns (rows, status) or an ERR payload."""
    rows = []
    while True:
        p = w.packet()
        if p[:1] == b'\xff':
            return rows, None, p
        if p[:1] == b'\xfe' and (len(p) < 9 or deprecate_eof):
            status = eof_status(p) if len(p) < 9 else ok_status(p)
            return rows, status, None
        rows.append(p)


def read_result_set(w, first, deprecate_eof):
    """A result set whose first packet (the column count) is `first`; returns (rows, status)."""
    columns, _ = lenenc(first, 0)
    if columns == 0 or columns > 4096:
        raise Garbled('column count %d' % columns)
    for _ in range(columns):
        w.packet()
    status = 0
    if not deprecate_eof:
        p = w.packet()
        if not is_eof(p):
            raise Garbled('no EOF after the column definitions: ' + p.hex()[:40])
        status = eof_status(p)
        if status & STATUS_CURSOR_EXISTS:
            return [], status, None  # a cursor was opened: rows come with COM_STMT_FETCH
    return read_rows(w, deprecate_eof)


def read_answer(w, cmd):
    """One complete response to command byte `cmd` (all result sets of a multi-statement)."""
    deprecate_eof = w.deprecate_eof
    rows = []
    while True:
        p = w.packet()
        if not p:
            raise Garbled('empty packet')
        head = p[0]
        if head == 0xFF:
            if not well_formed_err(p):
                raise Garbled('malformed ERR ' + p.hex()[:60])
            return Answer('err', err_text(p), rows, err=p[1] | p[2] << 8)
        if cmd == COM_STATISTICS:
            return Answer('stat')
        if cmd == COM_CHANGE_USER and head != 0x00:
            return Answer('auth_switch', p.hex()[:20])  # the exchange cannot go on from here
        if cmd == COM_FIELD_LIST:
            while not is_eof(p):
                p = w.packet()
                if p[:1] == b'\xff':
                    return Answer('err', err_text(p))
            return Answer('fields')
        if cmd == COM_STMT_FETCH:
            more, status, err = [p] if not is_eof(p) else [], None, None
            if more:
                more_rows, status, err = read_rows(w, deprecate_eof)
                more += more_rows
            return Answer('err' if err else 'rows', err_text(err) if err else '', more)
        if cmd == COM_STMT_PREPARE and head == 0x00 and len(p) >= 12:
            columns, params = struct.unpack('<HH', p[5:9])
            for count in (params, columns):
                for _ in range(count):
                    w.packet()
                if count and not deprecate_eof and not is_eof(w.packet()):
                    raise Garbled('no EOF after prepare definitions')
            return Answer('prepared', f'id={struct.unpack("<I", p[1:5])[0]}')
        if head == 0x00:
            if ok_status(p) & STATUS_MORE_RESULTS:
                continue
            return Answer('ok' if not rows else 'result', '', rows)
        if head == 0xFE and len(p) < 9:  # COM_SET_OPTION's EOF
            return Answer('eof')
        if head == 0xFB:  # LOAD DATA LOCAL INFILE: send no file (an empty packet)
            w.send(frame(b'', 2))
            continue
        set_rows, status, err = read_result_set(w, p, deprecate_eof)
        rows += set_rows
        if err:
            return Answer('err', err_text(err), rows)
        if not (status & STATUS_MORE_RESULTS):
            return Answer('result', '', rows)


# ---------------------------------------------------------------------------------------------
# What weft sees in a byte stream: commands, or the point where it must refuse

def server_view(stream):
    """Parses `stream` into frames as weft reads them after login. Returns (commands, ending):
    commands are complete logical packets (payload bytes); ending is 'complete', 'stall'
    (ends inside a frame: weft must wait for more), or 'out_of_order' (a frame whose sequence id
    is wrong: weft answers 1156 or closes)."""
    commands, pos, expect, cur = [], 0, 0, None
    while pos < len(stream):
        if len(stream) - pos < 4:
            return commands, 'stall'
        n = int.from_bytes(stream[pos:pos + 3], 'little')
        seq = stream[pos + 3]
        if seq != expect:
            return commands, 'out_of_order'
        if len(stream) - pos - 4 < n:
            return commands, 'stall'
        cur = (cur or b'') + stream[pos + 4:pos + 4 + n]
        pos += 4 + n
        if n == MAX_PACKET:
            expect = (seq + 1) & 0xFF
            continue
        commands.append(cur)
        cur, expect = None, 0
    return commands, 'stall' if cur is not None else 'complete'


# ---------------------------------------------------------------------------------------------
# Mutations

def mutate_bytes(rng, data, max_flips=4):
    """Bit flips, random bytes, truncation, garbage appended or a slice duplicated."""
    data = bytearray(data)
    kind = rng.choice(['flip', 'flip', 'byte', 'truncate', 'append', 'dup', 'flip+truncate'])
    if 'flip' in kind and data:
        for _ in range(rng.randint(1, max_flips)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    if kind == 'byte' and data:
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    if 'truncate' in kind:
        del data[rng.randint(0, len(data)):]
    if kind == 'append':
        data += bytes(rng.randrange(256) for _ in range(rng.choice([1, 2, 7, 40, 300])))
    if kind == 'dup' and data:
        i = rng.randrange(len(data))
        data[i:i] = data[i:i + rng.randint(1, 16)]
    return bytes(data), kind


def mutate_frame(rng, payload, seq=0):
    """A frame with its header perhaps wrong: length off by a little or a lot, or a wrong
    sequence id. Returns (bytes, description)."""
    kind = rng.choice(['ok'] * 6 + ['len-', 'len+', 'len-huge', 'seq', 'split'])
    n = len(payload)
    if kind == 'len-' and n:
        return struct.pack('<I', n - rng.randint(1, min(n, 4)))[:3] + bytes([seq]) + payload, kind
    if kind == 'len+':
        return struct.pack('<I', n + rng.choice([1, 3, 100]))[:3] + bytes([seq]) + payload, kind
    if kind == 'len-huge':
        huge = rng.choice([MAX_PACKET, 0x400000, 0x10000])
        return struct.pack('<I', huge)[:3] + bytes([seq]) + payload, kind
    if kind == 'seq':
        return frame(payload, rng.choice([1, 2, 5, 0x7F, 0xFF])), kind
    if kind == 'split' and n > 1:  # two frames where the protocol wants one
        cut = rng.randrange(1, n)
        return frame(payload[:cut], seq) + frame(payload[cut:], rng.choice([seq, seq + 1])), kind
    return frame(payload, seq), 'ok'


def safe_command_bytes(stream):
    """Replaces the command byte of every command weft would see by COM_QUERY where it is not
    in SAFE_COMMANDS, so no mutation shuts down, kills or resets a server of the sandbox."""
    out, pos, expect = bytearray(stream), 0, 0
    while pos + 4 <= len(out):
        n = int.from_bytes(out[pos:pos + 3], 'little')
        seq = out[pos + 3]
        if seq == 0 and expect == 0 and n > 0 and pos + 4 < len(out):
            if out[pos + 4] not in SAFE_COMMANDS:
                out[pos + 4] = COM_QUERY
        expect = (seq + 1) & 0xFF if n == MAX_PACKET else 0
        pos += 4 + n
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Post-login commands

def stmt_execute_payload(rng, stmt_id, params):
    flags = rng.choice([0, 0, 0, 1, 2, 4, 8, 0x80])
    body = struct.pack('<BIBI', COM_STMT_EXECUTE, stmt_id, flags, 1)
    if params:
        body += bytes((params + 7) // 8)  # null bitmap: none null
        body += b'\x01' + b'\xfd\x00' * params  # new params bound: VAR_STRING each
        for i in range(params):
            value = b'v%d' % rng.randrange(1000)
            body += bytes([len(value)]) + value
    return body


def command_payload(rng, stmt):
    """One post-login command, before mutation. `stmt` is (id, params) of a real statement."""
    real_id, params = stmt
    ids = [real_id, real_id, real_id + 1, 0, rng.randrange(1 << 32), 0xFFFFFFFF]
    sid = rng.choice(ids)
    kind = rng.choice(['query'] * 4 + ['prepare', 'execute', 'execute', 'fetch', 'close', 'reset',
                                       'long_data', 'long_data', 'change_user', 'misc', 'short_stmt'])
    if kind == 'query':
        return b'\x03' + rng.choice(QUERIES).encode()
    if kind == 'prepare':
        return b'\x16' + rng.choice(PREPARES).encode()
    if kind == 'execute':
        return stmt_execute_payload(rng, sid, params if sid == real_id else rng.randint(0, 3))
    if kind == 'fetch':
        return struct.pack('<BII', COM_STMT_FETCH, sid, rng.choice([1, 5, 0, 0xFFFFFFFF]))
    if kind == 'close':
        return struct.pack('<BI', COM_STMT_CLOSE, sid)
    if kind == 'reset':
        return struct.pack('<BI', COM_STMT_RESET, sid)
    if kind == 'long_data':
        return struct.pack('<BIH', COM_STMT_SEND_LONG_DATA, sid, rng.randint(0, 3)) + b'data' * rng.randint(0, 4)
    if kind == 'change_user':
        return b'\x11' + bytes(rng.randrange(256) for _ in range(rng.randint(0, 60)))
    if kind == 'short_stmt':  # a COM_STMT_* cut short: 1 to 4 bytes after the command byte
        cmd = rng.choice([COM_STMT_EXECUTE, COM_STMT_FETCH, COM_STMT_RESET, COM_STMT_CLOSE,
                          COM_STMT_SEND_LONG_DATA, COM_STMT_BULK_EXECUTE])
        return bytes([cmd]) + struct.pack('<I', sid)[:rng.randint(1, 4)]
    return rng.choice([b'\x0e', b'\x1f', b'\x02weft_test', b'\x02no_such_db', b'\x1b\x00\x00',
                       b'\x1b\x01\x00', b'\x04sbtest1\x00', b'\x04no_such\x00', b'\x09', b'\x99',
                       b'\x00', b'\xfa' + struct.pack('<IH', sid, 0)])


def post_login_batch(rng, stmt):
    """1 to 3 commands in one write, the last one (or only one) mutated; rarely a command of
    more than 16 MiB in two frames with a right or wrong second sequence id."""
    if rng.random() < 0.015:
        body = b'\x03SELECT 1 /*' + b'x' * (MAX_PACKET + 10) + b'*/'
        second = rng.choice([1, 1, 2, 0])
        stream = (struct.pack('<I', MAX_PACKET)[:3] + b'\x00' + body[:MAX_PACKET] +
                  frame(body[MAX_PACKET:], second))
        return stream, f'16MiB query, second frame seq {second}'
    parts, notes = [], []
    for i in range(rng.choice([1, 1, 1, 2, 3])):
        payload = command_payload(rng, stmt)
        if rng.random() < 0.7:
            payload, how = mutate_bytes(rng, payload)
            notes.append(f'{payload[:1].hex() or "empty"}:{how}')
        else:
            notes.append(f'{payload[:1].hex()}:intact')
        data, how = mutate_frame(rng, payload) if rng.random() < 0.3 else (frame(payload, 0), 'ok')
        if how != 'ok':
            notes[-1] += f'/frame-{how}'
        parts.append(data)
    return safe_command_bytes(b''.join(parts)), ' '.join(notes)


# ---------------------------------------------------------------------------------------------
# Pre-login: the handshake response

def greeting_caps(g):
    pos = g.index(b'\0', 1) + 1 + 4 + 8 + 1
    return int.from_bytes(g[pos:pos + 2], 'little') | int.from_bytes(g[pos + 5:pos + 7], 'little') << 16


def greeting_scramble(g):
    if not g or g[0] != 10:
        raise Garbled('not a v10 greeting: ' + g.hex()[:40])
    pos = g.index(b'\0', 1) + 1 + 4
    part1 = g[pos:pos + 8]
    pos += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10
    return part1 + g[pos:pos + 12]


def handshake_response(rng, user, password, scramble):
    """A valid handshake response (sometimes with a database and connection attributes), so
    mutations start from what a driver sends. Returns (payload, caps)."""
    caps = CAPS
    db = rng.choice([None, None, 'weft_test'])
    attrs = rng.random() < 0.5
    if db:
        caps |= CLIENT_CONNECT_WITH_DB
    if attrs:
        caps |= CLIENT_CONNECT_ATTRS
    token = native_token(password, scramble)
    body = struct.pack('<IIB', caps, 1 << 24, 45) + b'\0' * 23 + user.encode() + b'\0'
    body += bytes([len(token)]) + token
    if db:
        body += db.encode() + b'\0'
    body += b'mysql_native_password\0'
    if attrs:
        kv = b''
        for k, v in (('_client_name', 'wire_fuzz'), ('_pid', str(rng.randrange(99999))),
                     ('program_name', 'x' * rng.randint(0, 300))):
            kv += bytes([len(k)]) + k.encode() + lenenc_bytes(len(v)) + v.encode()
        body += lenenc_bytes(len(kv)) + kv
    return body, caps


def lenenc_bytes(n):
    return bytes([n]) if n < 0xFB else b'\xfc' + struct.pack('<H', n)


def mutate_attributes(rng, body):
    """Garbage in the connection attributes: a block length larger than the packet, a key
    length running past the block, or random bytes."""
    i = body.rfind(b'mysql_native_password\0') + len(b'mysql_native_password\0')
    kind = rng.choice(['block-len', 'key-len', 'garbage', 'missing'])
    if kind == 'block-len':
        return body[:i] + b'\xfc\xff\xff' + body[i + 1:], 'attrs-block-len'
    if kind == 'key-len':
        return body[:i + 1] + b'\xfa' + body[i + 2:], 'attrs-key-len'
    if kind == 'missing':  # caps announce attributes, none follow (MariaDB: 1043)
        return body[:i], 'attrs-missing'
    return body[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 40))), 'attrs-garbage'


def pre_login_bytes(rng, user, password, scramble):
    body, caps = handshake_response(rng, user, password, scramble)
    how = 'intact'
    roll = rng.random()
    if roll < 0.15 and caps & CLIENT_CONNECT_ATTRS:
        body, how = mutate_attributes(rng, body)
    elif roll < 0.25:  # capability bits flipped (e.g. SSL or COMPRESS announced)
        flipped = caps ^ (1 << rng.randrange(32))
        body = struct.pack('<I', flipped) + body[4:]
        how = 'caps-flip'
    elif roll < 0.3:
        return b'', 'nothing'  # silence: weft's handshake timeout must close it
    elif roll < 0.9:
        body, how = mutate_bytes(rng, body, max_flips=8)
    data, fhow = mutate_frame(rng, body, seq=1)
    if fhow == 'seq':
        data = frame(body, rng.choice([0, 2, 3, 0xFF]))
    return data, how + ('' if fhow == 'ok' else '/frame-' + fhow)


# ---------------------------------------------------------------------------------------------
# The fuzzing run

class Run:
    def __init__(self, port, user, password, seed, seconds, max_connections, workers, replay):
        self.port, self.user, self.password = port, user, password
        self.seed, self.seconds, self.max_connections = seed, seconds, max_connections
        self.workers, self.replay = workers, replay
        self.lock = threading.Lock()
        self.outcomes = Counter()
        self.findings = {}  # signature -> examples
        self.failure_kinds = Counter()
        self.packets = 0
        self.commands = 0
        self.connections = Counter()
        self.next_case = 0
        self.stop_at = time.monotonic() + seconds
        self.stalled = []  # (Wire, deadline, case) handed to the stall watcher
        self.done = threading.Event()
        self.mine = threading.local()
        self.bystander_ok = 0
        self.bystander_max_ms = 0

    # -- bookkeeping
    def outcome(self, name, n=1):
        with self.lock:
            self.outcomes[name] += n

    def fail(self, case, kind, detail, sent=b'', signature=None):
        """Records a broken rule. Failures with the same signature (kind plus what went wrong,
        numbers blanked) are one finding: the summary shows each finding's count and examples."""
        signature = signature or kind
        with self.lock:
            self.failure_kinds[kind] += 1
            examples = self.findings.setdefault(signature, [])
            examples.append(f'[case {case}] {detail}' +
                            (f'\n          sent {len(sent)} bytes: {sent[:96].hex()}' if sent else ''))
        if self.replay:
            print(f'  FAIL {kind}: {detail}', flush=True)

    def claim_case(self):
        with self.lock:
            if self.next_case >= self.max_connections or time.monotonic() >= self.stop_at:
                return None
            self.next_case += 1
            return self.next_case

    def sent(self, data):
        with self.lock:
            self.packets += count_frames(data)

    # -- the bystander
    def bystander(self):
        counter, w = 0, None
        while not self.done.is_set():
            try:
                if w is None:
                    w = self.login_plain()
                counter += 1
                t0 = time.monotonic()
                w.send(frame(b'\x03SELECT %d' % counter, 0))
                a = read_answer(w.within(ANSWER_BOUND), COM_QUERY)
                took = time.monotonic() - t0
                got = [r[1:].decode(errors='replace') for r in a.rows]
                if a.kind != 'result' or got != [str(counter)]:
                    self.fail('bystander', 'bystander_wrong_answer',
                              f'SELECT {counter} answered {a.kind} {a.detail} rows={got[:3]}')
                    w.close()
                    w = None  # out of step for good: a new session goes on checking
                else:
                    with self.lock:
                        self.bystander_ok += 1
                        self.bystander_max_ms = max(self.bystander_max_ms, int(took * 1000))
                time.sleep(0.005)
            except Timeout:
                self.fail('bystander', 'bystander_missing_answer', f'SELECT {counter}: no answer in {ANSWER_BOUND} s')
                w.close()
                w = None
            except (Closed, Garbled, OSError) as e:
                self.fail('bystander', 'bystander_lost', f'SELECT {counter}: {type(e).__name__} {e}')
                if w:
                    w.close()
                w = None
                time.sleep(0.2)
        if w:
            w.close()

    def login_plain(self):
        w = Wire(self.port)
        scramble = greeting_scramble(w.within(ANSWER_BOUND).packet())
        body, _ = handshake_response(random.Random(0), self.user, self.password, scramble)
        w.send(frame(body, 1))
        p = w.within(ANSWER_BOUND).packet()
        if p[:1] != b'\x00':
            raise Garbled('login refused: ' + (err_text(p) if p[:1] == b'\xff' else p.hex()[:40]))
        return w

    # -- the stall watcher: pre-login connections that must be closed by weft within the bound
    def stall_watcher(self):
        sel = selectors.DefaultSelector()
        while not (self.done.is_set() and not self.stalled and not sel.get_map()):
            with self.lock:
                new, self.stalled = self.stalled, []
            for w, deadline, case in new:
                sel.register(w.sock, selectors.EVENT_READ, (w, deadline, case))
            now = time.monotonic()
            for key in list(sel.get_map().values()):
                w, deadline, case = key.data
                if now > deadline:
                    sel.unregister(w.sock)
                    w.close()
                    self.fail(case, 'prelogin_not_closed',
                              f'not closed {PRELOGIN_BOUND:.0f} s after connecting (no login)')
            for key, _ in sel.select(timeout=0.1):
                w, deadline, case = key.data
                try:
                    w.sock.setblocking(False)
                    chunk = w.sock.recv(65536)
                except BlockingIOError:
                    continue
                except (ConnectionResetError, OSError):
                    chunk = b''
                if not chunk:
                    sel.unregister(w.sock)
                    w.close()
                    self.outcome('prelogin_closed_later')

    def hand_to_watcher(self, w, case):
        with self.lock:
            self.stalled.append((w, w.connected_at + PRELOGIN_BOUND, case))

    # -- one fuzzed connection
    def fuzz_connection(self, worker, n):
        case = f'{self.seed}:{worker}:{n}'
        rng = random.Random(case)
        post_login = rng.random() < 0.55
        try:
            w = Wire(self.port)
        except OSError as e:
            self.fail(case, 'connect_failed', str(e))
            return
        try:
            g = w.within(ANSWER_BOUND).packet()
            scramble = greeting_scramble(g)
            w.server_caps = greeting_caps(g)
        except (Timeout, Closed, Garbled) as e:
            w.close()
            self.fail(case, 'no_greeting', f'{type(e).__name__} {e}')
            return
        with self.lock:
            self.connections['post_login' if post_login else 'pre_login'] += 1
        if post_login:
            self.post_login(w, rng, case, scramble)
        else:
            self.pre_login(w, rng, case, scramble)

    def pre_login(self, w, rng, case, scramble):
        self.mine.answers, self.mine.silent = [], []
        data, how = pre_login_bytes(rng, self.user, self.password, scramble)
        if self.replay:
            print(f'  pre-login {how}: {data[:120].hex()}', flush=True)
        try:
            if data:
                w.send(data)
                self.sent(data)
            p = w.within(2.0).packet()
        except Timeout:  # no answer yet: weft must still close it within the bound
            self.outcome('prelogin_silent')
            self.hand_to_watcher(w, case)
            return
        except Closed as e:
            self.outcome(f'prelogin_closed_{e}')
            w.close()
            return
        except Garbled as e:
            self.fail(case, 'prelogin_garbled', str(e), data)
            w.close()
            return
        if p[:1] == b'\xff':
            if not well_formed_err(p):
                self.fail(case, 'malformed_err', p.hex()[:60], data)
            self.outcome('prelogin_err')
            self.hand_to_watcher(w, case)  # weft must close it after the ERR
            return
        if p[:1] == b'\x00':
            self.after_mutated_login(w, rng, case, data)
            return
        self.outcome('prelogin_auth_switch' if p[:1] == b'\xfe' else 'prelogin_other_answer')
        self.hand_to_watcher(w, case)  # we do not go on: the handshake timeout must end it

    def after_mutated_login(self, w, rng, case, data):
        """A mutated handshake response that still logged in: the session must work. Bytes
        after the handshake frame (a shortened length, a split) are commands to weft now."""
        self.outcome('prelogin_logged_in')
        if data[3:4] != b'\x01':
            self.outcome('prelogin_wrong_seq_accepted')  # MariaDB answers 1156 (issue 10, item 13)
        caps = int.from_bytes(data[4:8], 'little') if len(data) >= 8 else 0
        if caps & (CLIENT_COMPRESS | CLIENT_SSL) or not caps & CLIENT_PROTOCOL_41:
            w.close()  # a framing this client does not speak
            return
        w.deprecate_eof = bool(caps & w.server_caps & CLIENT_DEPRECATE_EOF)
        rest = data[4 + int.from_bytes(data[:3], 'little'):]
        if rest:
            self.check_stream(w, rng, case, rest, data, 'bytes after the handshake frame')
        else:
            self.probe(w, rng, case, data)
        w.close()

    def post_login(self, w, rng, case, scramble):
        """Logs in properly, prepares a real statement, then sends batches of mutated commands,
        each followed by a probe, until weft closes the session, a batch stalls, or enough."""
        body, _ = handshake_response(rng, self.user, self.password, scramble)
        try:
            w.send(frame(body, 1))
            p = w.within(ANSWER_BOUND).packet()
            if p[:1] != b'\x00':
                raise Garbled('login refused: ' + (err_text(p) if p[:1] == b'\xff' else p.hex()[:40]))
            stmt = self.prepare_real(w, rng)
        except (Timeout, Closed, Garbled) as e:
            self.fail(case, 'login_failed', f'{type(e).__name__} {e}')
            w.close()
            return
        for batch in range(rng.randint(1, 12)):
            data, how = post_login_batch(rng, stmt)
            if self.replay:
                print(f'  batch {batch} {how}: {len(data)} bytes {data[:120].hex()}', flush=True)
            if not self.batch(w, rng, f'{case}#{batch}', data, how):
                break
        w.close()

    def prepare_real(self, w, rng):
        sql = rng.choice(PREPARES[:4])
        w.send(frame(b'\x16' + sql.encode(), 0))
        a = read_answer(w.within(ANSWER_BOUND), COM_STMT_PREPARE)
        if a.kind != 'prepared':
            raise Garbled(f'PREPARE {sql} answered {a.kind} {a.detail}')
        return int(a.detail.split('=')[1]), sql.count('?')

    def batch(self, w, rng, case, data, how):
        """Sends one batch and checks what comes back. True when the session may go on."""
        if len(data) > MAX_PACKET:
            self.outcome('sent_16MiB_command')
        try:
            w.send(data)
            self.sent(data)
        except Closed as e:
            if str(e) == 'send-blocked':  # open, yet not reading what the client sends
                self.fail(case, 'hang', f'weft read nothing for {ANSWER_BOUND:.0f} s while the client sent [{how}]',
                          data, 'hang: weft stopped reading a command being sent')
            else:
                self.outcome(f'closed_while_sending_{e}')
            return False
        return self.check_stream(w, rng, case, data, data, how)

    def check_stream(self, w, rng, case, stream, sent, how):
        """Checks the answers to `stream`, bytes weft reads as commands after login (`sent` is
        everything written, for the report), then probes. True when the session may go on."""
        commands, ending = server_view(stream)
        with self.lock:
            self.commands += len(commands)
        detail = f'{how}; weft sees {len(commands)} command(s) then {ending}'
        self.mine.answers = []  # what this batch got (per thread), for the failure messages
        # Commands owed no answer: the usual suspects when the probe gets an earlier answer.
        self.mine.silent = sorted({f'0x{c[0]:02x}' for c in commands if c and c[0] in NO_ANSWER})
        for cmd_payload in commands:
            if not self.expect_answer(w, case, sent, detail, cmd_payload):
                return False
        if ending == 'out_of_order':
            return self.expect_refusal(w, case, sent, detail)
        if ending == 'stall':
            self.linger(w)
            return False
        return self.probe(w, rng, case, sent)

    def expect_answer(self, w, case, data, detail, payload):
        """The answer the protocol owes to one command (or none for SEND_LONG_DATA/CLOSE, a close
        for COM_QUIT). True when the session is still open and in step."""
        cmd = payload[0] if payload else None
        name = f'0x{cmd:02x}' if cmd is not None else 'an empty command'
        if cmd in NO_ANSWER:
            self.outcome(f'no_answer_{name}')
            return True  # the probe that follows tells whether weft answered anyway
        try:
            a = read_answer(w.within(ANSWER_BOUND), cmd if cmd is not None else -1)
        except Timeout:
            what = 'COM_QUIT not followed by a close' if cmd == COM_QUIT else \
                f'{name} ({len(payload)} bytes: {payload[:24].hex()}) got no answer'
            self.fail(case, 'hang', f'{what} in {ANSWER_BOUND:.0f} s [{detail}]', data,
                      f'hang: no answer to {name} with a {len(payload)}-byte payload')
            return False
        except Closed as e:
            self.outcome(f'disconnect_{e}')
            return False
        except Garbled as e:
            self.fail(case, 'garbled_answer', f'to {name}: {e} [{detail}]', data,
                      f'garbled answer to {name}: {blank_numbers(str(e))[:60]}')
            return False
        if cmd == COM_QUIT or (cmd is None and a.kind != 'err'):
            self.fail(case, 'unexpected_answer', f'{a.kind} {a.detail} to {name} [{detail}]', data)
            return False
        self.outcome(f'answer_{a.kind}')
        self.note_answer(f'{name}->{a.kind}{" " + a.detail[:40] if a.detail else ""}')
        if a.kind == 'auth_switch':
            return False  # a COM_CHANGE_USER weft took up: this client cannot follow
        return True

    def expect_refusal(self, w, case, data, detail):
        """A frame with a wrong sequence id: an ERR (1156) or a close, within the bound."""
        try:
            p = w.within(ANSWER_BOUND).packet()
        except Timeout:
            self.fail(case, 'hang', f'frame with a wrong sequence id: no ERR, no close in {ANSWER_BOUND} s [{detail}]', data)
            return False
        except Closed as e:
            self.outcome(f'disconnect_{e}')
            return False
        if p[:1] == b'\xff' and well_formed_err(p):
            self.outcome(f'refused_{p[1] | p[2] << 8}')
        else:
            self.fail(case, 'unexpected_answer', f'to a frame with a wrong sequence id: {p[:20].hex()} [{detail}]', data)
        return False

    def note_answer(self, text):
        self.mine.answers.append(text)
        if self.replay:
            print('    answer ' + text, flush=True)

    def linger(self, w):
        """The batch ends inside a frame: weft waits for the rest (as MariaDB would); the client
        reads what comes for a moment and leaves."""
        try:
            w.within(STALL_LINGER).packet()
            self.outcome('stall_answered')
        except Timeout:
            self.outcome('stall_left')
        except (Closed, Garbled):
            self.outcome('stall_closed')

    def probe(self, w, rng, case, sent):
        n = rng.randrange(10 ** 8, 10 ** 9)
        try:
            w.send(frame(b'\x03SELECT %d' % n, 0))
            a = read_answer(w.within(ANSWER_BOUND), COM_QUERY)
        except Timeout:
            self.fail(case, 'probe_no_answer', f'SELECT {n}: no answer in {ANSWER_BOUND} s', sent)
            return False
        except Closed as e:
            self.outcome(f'probe_disconnect_{e}')
            return False
        except Garbled as e:
            self.fail(case, 'probe_garbled', f'SELECT {n}: {e}', sent)
            return False
        got = [r[1:].decode(errors='replace') for r in a.rows]
        if a.kind == 'result' and got == [str(n)]:
            self.outcome('probe_in_sync')
            return True
        # weft's own errors (9xxx) can answer a SELECT; anything else belongs to an earlier command.
        kind = 'probe_error' if a.kind == 'err' and 9000 <= a.err < 10000 else 'answers_shifted'
        answers = getattr(self.mine, 'answers', None)
        earlier = f' (answers before it: {"; ".join(answers)})' if answers else ''
        silent = getattr(self.mine, 'silent', None)
        signature = (f'{kind} in a batch with {"+".join(silent)} (owed no answer)' if silent and kind == 'answers_shifted'
                     else f'{kind}: the probe got {a.kind} {blank_numbers(a.detail)}'.rstrip())
        self.fail(case, kind, f'SELECT {n} answered {a.kind} {a.detail} rows={got[:2]}{earlier}', sent, signature)
        return False


def blank_numbers(text):
    """Text with numbers in parentheses blanked (statement ids), to group alike failures."""
    return re.sub(r'\(\d+\)', '(N)', text)


def count_frames(data):
    pos, n = 0, 0
    while pos + 4 <= len(data):
        n += 1
        pos += 4 + int.from_bytes(data[pos:pos + 3], 'little')
    return n


# ---------------------------------------------------------------------------------------------
# Driving the run

def fuzz_worker(run, worker):
    n = 0
    while run.claim_case() is not None:
        n += 1
        try:
            run.fuzz_connection(worker, n)
        except Exception as e:  # a bug of the fuzzer itself: reported, never hidden
            run.fail(f'{run.seed}:{worker}:{n}', 'fuzzer_error', f'{type(e).__name__}: {e}')


def summary(run, elapsed):
    o = run.outcomes
    print(f'wire_fuzz: seed {run.seed}, {elapsed:.1f} s, {run.workers} fuzzing connections at a time')
    print(f'  connections: {sum(run.connections.values())} '
          f'({run.connections["pre_login"]} mutated before login, {run.connections["post_login"]} after)')
    print(f'  frames sent: {run.packets}; post-login commands weft saw whole: {run.commands}')
    print('  outcomes: ' + ', '.join(f'{k}={v}' for k, v in sorted(o.items())))
    print(f'  bystander: {run.bystander_ok} answers in sync (slowest {run.bystander_max_ms} ms)')
    if run.findings:
        print('  FAILURES: ' + ', '.join(f'{k}={v}' for k, v in sorted(run.failure_kinds.items())))
        for signature, examples in sorted(run.findings.items(), key=lambda kv: -len(kv[1])):
            print(f'    {len(examples)} x {signature}')
            for example in examples[:2]:
                print('        ' + example)
        print('  replay one connection: WIRE_FUZZ_CASE=SEED:WORKER:N (the case id without #batch)')


def main():
    port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    replay = os.environ.get('WIRE_FUZZ_CASE')
    seed = int(os.environ.get('WIRE_FUZZ_SEED') or random.SystemRandom().randrange(1 << 31))
    seconds = float(os.environ.get('WIRE_FUZZ_SECONDS', 40))
    max_connections = int(os.environ.get('WIRE_FUZZ_CONNECTIONS', 5000))
    workers = max(1, int(os.environ.get('WIRE_FUZZ_WORKERS', 3)))
    if replay:
        seed, worker, n = replay.split(':')[:3]
        n = int(n.split('#')[0])
        run = Run(port, user, password, int(seed), 60, 1, 1, True)
        print(f'wire_fuzz: replaying case {seed}:{worker}:{n}', flush=True)
        threads = [threading.Thread(target=run.stall_watcher)]
        threads[0].start()
        run.fuzz_connection(int(worker), n)
        run.done.set()
        threads[0].join()
        summary(run, 0)
        return 1 if run.findings else 0
    print(f'wire_fuzz: seed {seed} (WIRE_FUZZ_SEED={seed} repeats the run), {seconds:.0f} s, '
          f'at most {max_connections} connections, {workers} workers', flush=True)
    run = Run(port, user, password, seed, seconds, max_connections, workers, False)
    started = time.monotonic()
    helpers = [threading.Thread(target=run.bystander), threading.Thread(target=run.stall_watcher)]
    fuzzers = [threading.Thread(target=fuzz_worker, args=(run, i)) for i in range(workers)]
    for t in helpers + fuzzers:
        t.start()
    for t in fuzzers:
        t.join()
    run.done.set()  # the watcher still waits for the connections it holds (≤ PRELOGIN_BOUND s)
    for t in helpers:
        t.join()
    summary(run, time.monotonic() - started)
    return 1 if run.findings else 0


if __name__ == '__main__':
    sys.exit(main())

"""A minimal MySQL-protocol client for tests that must send what real drivers never send:
malformed, oversized or out-of-order packets. Standard library only (run with /usr/bin/python3).
"""
import hashlib
import socket
import struct

CAPS = (0x00000200 | 0x00008000 | 0x00080000 | 0x00010000 | 0x00020000 | 0x00002000 |
        0x00000004 | 0x00200000)  # PROTOCOL_41 SECURE_CONN PLUGIN_AUTH MULTI_STMT MULTI_RES TRANS LONG_FLAG LENENC


def frame(payload, seq):
    return struct.pack('<I', len(payload))[:3] + bytes([seq]) + payload


def native_token(password, scramble):
    if not password:
        return b''
    s1 = hashlib.sha1(password.encode()).digest()
    mix = hashlib.sha1(scramble + hashlib.sha1(s1).digest()).digest()
    return bytes(a ^ b for a, b in zip(s1, mix))


class Conn:
    def __init__(self, port, timeout=10, source=None):
        """source: the local address to connect from (any 127/8 address on loopback)."""
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.buf = b''

    def read_exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError('connection closed')
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_packet(self):
        h = self.read_exact(4)
        n = h[0] | h[1] << 8 | h[2] << 16
        return h[3], self.read_exact(n)

    def send(self, data):
        self.sock.sendall(data)

    def closed_by_peer(self, wait=5):
        """True when the peer closes the connection (EOF) within `wait` seconds."""
        self.sock.settimeout(wait)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
        except (socket.timeout, TimeoutError):
            return False
        except ConnectionResetError:
            return True

    def greeting_scramble(self):
        _, g = self.read_packet()
        assert g[0] == 10, 'not a v10 greeting'
        pos = g.index(b'\0', 1) + 1 + 4
        part1 = g[pos:pos + 8]
        pos += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10
        part2 = g[pos:pos + 12]
        return part1 + part2

    def login(self, user, password, db=None):
        scramble = self.scramble = self.greeting_scramble()  # kept: COM_CHANGE_USER answers it too
        caps = CAPS | (0x8 if db else 0)
        token = native_token(password, scramble)
        body = struct.pack('<IIB', caps, 1 << 24, 45) + b'\0' * 23 + (user if isinstance(user, bytes) else user.encode()) + b'\0'
        body += bytes([len(token)]) + token
        if db:
            body += db.encode() + b'\0'
        body += b'mysql_native_password\0'
        self.send(frame(body, 1))
        _, resp = self.read_packet()
        return resp

    def query(self, sql):
        self.send(frame(b'\x03' + sql.encode(), 0))

    def result_rows(self):
        """Rows (raw payloads) of the text or binary result set that follows; [] for an OK.
        Raises ServerError on ERR. Without DEPRECATE_EOF: columns, EOF, rows, EOF."""
        _, first = self.read_packet()
        if first[0] == 0xFF:
            raise ServerError(parse_err(first))
        if first[0] == 0x00:
            return []
        for _ in range(first[0]):
            self.read_packet()
        self.read_packet()  # EOF after the column definitions
        rows = []
        while True:
            _, p = self.read_packet()
            if p[0] == 0xFE and len(p) < 9:
                return rows
            rows.append(p)

    def scalar(self, sql):
        """The first column of the first row of a query, as text (values under 251 bytes)."""
        self.query(sql)
        return self.result_rows()[0][1:].decode()


class ServerError(RuntimeError):
    """An ERR packet; args[0] is (code, sqlstate, message)."""


def parse_err(payload):
    """(code, sqlstate, message) of an ERR packet, or None."""
    if not payload or payload[0] != 0xFF:
        return None
    code = payload[1] | payload[2] << 8
    return code, payload[4:9].decode(), payload[9:].decode(errors='replace')


def lenenc_str(b):
    assert len(b) < 251
    return bytes([len(b)]) + b


def execute_body(stmt, values, flags=0, send_types=True):
    """COM_STMT_EXECUTE payload: ints as LONGLONG, str as STRING, None as NULL."""
    body = struct.pack('<BIBI', 0x17, stmt, flags, 1)
    if not values:
        return body
    bitmap = bytearray((len(values) + 7) // 8)
    for i, v in enumerate(values):
        if v is None:
            bitmap[i // 8] |= 1 << (i % 8)
    body += bytes(bitmap) + (b'\x01' if send_types else b'\x00')
    if send_types:
        body += b''.join(b'\x08\x00' if isinstance(v, int) else b'\xfe\x00' for v in values)
    for v in values:
        if isinstance(v, int):
            body += struct.pack('<q', v)
        elif v is not None:
            body += lenenc_str(v.encode())
    return body


def prepare(conn, sql):
    """COM_STMT_PREPARE; returns (statement id, columns, params). Raises ServerError."""
    conn.send(frame(b'\x16' + sql.encode(), 0))
    _, ok = conn.read_packet()
    if ok[0] == 0xFF:
        raise ServerError(parse_err(ok))
    stmt, cols, params = struct.unpack('<IHH', ok[1:9])
    for _ in range(params + (1 if params else 0) + cols + (1 if cols else 0)):
        conn.read_packet()
    return stmt, cols, params

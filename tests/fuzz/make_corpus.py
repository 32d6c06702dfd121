#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ from what the repository already holds:
the packets captured from MariaDB (tests/unit/fixtures/*.hex), the SQL and admin statements of
the unit tests, and the example and test configurations. Each seed is laid out as its target
reads input (see the comment at the top of each target's .cc file).

Run it again after the fixtures or the tests change; it rewrites the corpus folders. Standard
library only: /usr/bin/python3 tests/fuzz/make_corpus.py
"""
import hashlib
import re
import shutil
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/unit/fixtures"
UNIT = ROOT / "tests/unit"
CORPUS = ROOT / "tests/fuzz/corpus"

# Capabilities of the captured sessions (fixtures/README.md) and weft's toward clients.
FIXTURE_CAPS = 0x00BFA20D
DEPRECATE_EOF = 1 << 24
CAP = {"protocol_41": 1 << 9, "ssl": 1 << 11, "secure_connection": 1 << 15, "plugin_auth": 1 << 19,
       "connect_attrs": 1 << 20, "lenenc_data": 1 << 21}


def fixture(name):
    """The wire bytes of a capture: comment lines dropped, hex decoded."""
    lines = (FIXTURES / f"{name}.hex").read_text().splitlines()
    return bytes.fromhex("".join(l for l in lines if not l.startswith("#")))


def frames(wire):
    """(sequence id, payload) of each frame."""
    out, at = [], 0
    while at + 4 <= len(wire):
        length = int.from_bytes(wire[at:at + 3], "little")
        out.append((wire[at + 3], wire[at + 4:at + 4 + length]))
        at += 4 + length
    return out


def frame(payload, seq):
    return len(payload).to_bytes(3, "little") + bytes([seq]) + payload


def payload_of(name):
    return frames(fixture(name))[0][1]


class Corpus:
    def __init__(self):
        self.sizes = {}

    def write(self, target, seeds):
        folder = CORPUS / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for seed in dict.fromkeys(seeds):  # unique, in order
            name = hashlib.sha1(seed).hexdigest()[:16]
            (folder / name).write_bytes(seed)
        self.sizes[target] = sum(len(s) for s in dict.fromkeys(seeds))


# --- C++ string literals of the unit tests -------------------------------------------------------

LITERAL = re.compile(r'R"(?P<delim>[^(\s]*)\((?P<raw>.*?)\)(?P=delim)"|"(?P<plain>(?:[^"\\\n]|\\.)*)"', re.S)
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def unescape(text):
    return re.sub(r"\\(x[0-9a-fA-F]{2}|.)",
                  lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "x" else ESCAPES.get(m.group(1), m.group(1)),
                  text)


def literals(path):
    """String literals of a C++ file, adjacent ones joined as the compiler joins them."""
    text = path.read_text()
    out, last_end = [], None
    for m in LITERAL.finditer(text):
        value = m.group("raw") if m.group("raw") is not None else unescape(m.group("plain"))
        if last_end is not None and text[last_end:m.start()].strip() == "":
            out[-1] += value
        else:
            out.append(value)
        last_end = m.end()
    return out


def statements(*files):
    """Literals that look like statements (not test names, not short keys)."""
    out = []
    for f in files:
        out += [s for s in literals(UNIT / f) if len(s) >= 4 and " " in s.strip()]
    return [s.encode() for s in out]


# --- protocol seeds -----------------------------------------------------------------------------

RESPONSES = {  # fixture -> command byte it answers
    "auth_ok": 0x03, "auth_switch_ok": 0x03, "err_access_denied": 0x03, "err_syntax": 0x03,
    "err_in_rows_deof": 0x03, "err_in_rows_eof": 0x03, "field_list_deof": 0x04, "field_list_eof": 0x04,
    "init_db_ok": 0x02, "init_db_err": 0x02, "ok_begin": 0x03, "ok_commit": 0x03, "ok_insert": 0x03,
    "ok_set_autocommit_0": 0x03, "ping_ok": 0x0E, "query_statistics": 0x09,
    "query_empty_string_row_deof": 0x03, "query_empty_string_row_eof": 0x03, "query_multi_deof": 0x03,
    "query_multi_eof": 0x03, "query_rows_deof": 0x03, "query_rows_eof": 0x03, "query_select_1_deof": 0x03,
    "query_select_1_eof": 0x03, "stmt_execute_deof": 0x17, "stmt_execute_eof": 0x17,
    "stmt_prepare_deof": 0x16, "stmt_prepare_eof": 0x16,
}
REQUESTS = ["com_init_db_weft_test", "com_ping", "com_query_select_1", "com_stmt_execute", "com_stmt_prepare",
            "handshake_response", "cli_handshake_response", "auth_switch_response"]
SERVER_LOGIN = ["server_greeting", "cli_server_greeting", "auth_switch_request"]


def greeting_scramble(name):
    p = payload_of(name)
    at = p.index(b"\0", 1) + 1 + 4
    part1 = p[at:at + 8]
    at += 8 + 1 + 2 + 1 + 2 + 2
    auth_len = p[at]
    at += 1 + 6 + 4
    return part1 + p[at:at + max(13, auth_len - 8)][:12]


def switch_scramble():
    p = payload_of("auth_switch_request")
    return p[p.index(b"\0", 1) + 1:][:20]


def handshake_response(user, token, plugin, caps=None, db=None):
    caps = caps or (CAP["protocol_41"] | CAP["secure_connection"] | CAP["plugin_auth"] | CAP["lenenc_data"])
    out = struct.pack("<IIB", caps & 0xFFFFFFFF, 1 << 24, 45) + bytes(19) + struct.pack("<I", caps >> 32)
    out += user + b"\0" + bytes([len(token)]) + token
    if db is not None:
        out += db + b"\0"
    return out + plugin + b"\0"


def change_user(user, token, db=b""):
    return b"\x11" + user + b"\0" + bytes([len(token)]) + token + db + b"\0" + struct.pack("<H", 45) + \
        b"mysql_native_password\0"


def sha2_token(password, scramble):
    p1 = hashlib.sha256(password).digest()
    mix = hashlib.sha256(hashlib.sha256(p1).digest() + scramble[:20]).digest()
    return bytes(a ^ b for a, b in zip(p1, mix))


def compressed(data, seq, pack):
    body = zlib.compress(data) if pack else data
    return len(body).to_bytes(3, "little") + bytes([seq]) + (len(data) if pack else 0).to_bytes(3, "little") + body


def all_wires():
    return [fixture(n) for n in list(RESPONSES) + REQUESTS + SERVER_LOGIN]


def frame_seeds():
    seeds = [bytes([0xFF, seed]) + w for w in all_wires() for seed in (0, 9)]
    return seeds + [bytes([2, 5]) + fixture("query_rows_deof")]


def compression_seeds():
    seeds = []
    for i, w in enumerate(all_wires()):
        seeds.append(bytes([i]) + compressed(w, i, pack=len(w) >= 50))
    seeds.append(bytes([0]) + compressed(b"x" * 200, 0, True) + compressed(b"short", 1, False))
    return seeds


def message_seeds():
    payloads = [p for n in list(RESPONSES) + SERVER_LOGIN for _, p in frames(fixture(n))]
    return [bytes([caps]) + p for p in payloads for caps in (0x0F, 0x07)]


def command_seeds():
    payloads = [payload_of(n) for n in REQUESTS if n.startswith("com_")]
    payloads += [b"\x01", change_user(b"app", bytes(range(20)), b"sbtest"), change_user(b"root", b"")]
    return [bytes([choice]) + p for p in payloads for choice in (0x07, 0x03)]


def stmt_execute_seeds():
    execute = payload_of("com_stmt_execute")  # 2 LONG parameters, types bound
    head, types, values = execute[:11], execute[12:16], execute[16:]
    unbound = head + b"\0" + values
    seeds = [bytes([2]) + execute[1:5] + types + execute, bytes([2]) + execute[1:5] + types + unbound]
    one_string = b"\x17" + struct.pack("<IBI", 7, 0, 1) + b"\0\0" + b"\x05hello"
    seeds.append(bytes([1]) + struct.pack("<I", 7) + b"\xfd\0" + one_string)
    # TINY 42, LONGLONG NULL, DATETIME 2024-01-02 03:04:05; cursor flag set
    with_null = b"\x17" + struct.pack("<IBI", 9, 1, 1) + b"\x02\0" + b"\x2a" + b"\x07\xe8\x07\x01\x02\x03\x04\x05"
    seeds.append(bytes([3]) + struct.pack("<I", 9) + b"\x01\0\x08\0\x0c\0" + with_null)
    seeds.append(bytes([0]) + struct.pack("<I", 1) + b"\x17" + struct.pack("<IBI", 1, 0, 1))
    return seeds


# (parameter count, fixture) of the statement captures (tests/unit/fixtures/capture_statements.py).
STATEMENT_CAPTURES = [
    (10, "stmt_prepare_ok_ten_params"), (1, "stmt_prepare_ok_cursor"), (2, "stmt_prepare_ok_insert"),
    (10, "com_stmt_execute_ten_params_types"), (10, "com_stmt_execute_ten_params_no_types"),
    (1, "com_stmt_execute_cursor"), (1, "com_stmt_execute_after_long_data"), (2, "com_stmt_execute"),
    (2, "com_stmt_bulk_execute_types"), (2, "com_stmt_bulk_execute_no_types"), (0, "com_stmt_send_long_data"),
    (0, "com_stmt_fetch"), (0, "com_stmt_reset"), (0, "com_stmt_close"),
]


def statement_messages_seeds():
    return [bytes([params]) + payload_of(name) for params, name in STATEMENT_CAPTURES]


def tracker_seeds():
    seeds = []
    for name, cmd in RESPONSES.items():
        deof = 0 if name.endswith("_eof") else 1
        seeds += [bytes([cmd, deof, split]) + fixture(name) for split in (0, 11)]
    infile = frame(b"\xfb/tmp/data.csv", 1) + frame(payload_of("ok_insert"), 3)
    seeds.append(bytes([0x03, 1, 3]) + infile)
    return seeds


def text_result_seeds():
    # [caps][status: 2][first seq][split][columns - 1][rows] names, then values (length or 0xFF NULL)
    return [bytes([1, 2, 0, 1, 0, 1, 3]) + b"\x02id\x04name" + b"\x011\x05alice" + b"\x012\xff" + b"\x013\x00",
            bytes([0, 0x22, 0x40, 5, 7, 0, 1]) + b"\x04text" + b"\xfa\x10\x00" + b"z" * 40,
            bytes([1, 3, 0, 0, 0, 4, 0])]


def server_handshake_seeds():
    """[options][scramble: 20][client frames]; options as in server_handshake.cc."""
    native = greeting_scramble("server_greeting")
    switch = switch_scramble()
    sha2_login = handshake_response(b"app", sha2_token(b"app-secret", native), b"caching_sha2_password")
    ssl_caps = CAP["protocol_41"] | CAP["secure_connection"] | CAP["plugin_auth"] | CAP["lenenc_data"] | CAP["ssl"]
    ssl_request = handshake_response(b"", b"", b"", ssl_caps)[:32]
    secure_login = handshake_response(b"secure", b"x" * 32, b"caching_sha2_password", ssl_caps)
    return [
        bytes([0]) + native + fixture("handshake_response"),
        bytes([0]) + greeting_scramble("cli_server_greeting") + fixture("cli_handshake_response"),
        # the client asks for caching_sha2_password; weft switches it to native
        bytes([0]) + switch + frame(handshake_response(b"app", b"y" * 32, b"caching_sha2_password"), 1)
        + fixture("auth_switch_response"),
        bytes([0x16]) + native + frame(sha2_login, 1),  # sha2 fast path from a filled cache
        bytes([0x07]) + native + frame(ssl_request, 1) + frame(secure_login, 2) + frame(b"tls-secret\0", 4),
        bytes([0x0E]) + native + frame(sha2_login, 1) + frame(b"\x02", 3),  # asks for the RSA key
        bytes([0x20]) + native + fixture("handshake_response") + frame(change_user(b"root", b""), 0),
    ]


def client_handshake_seeds():
    """[options][login capabilities: 4][server frames]; options as in client_handshake.cc."""
    caps = struct.pack("<I", FIXTURE_CAPS | DEPRECATE_EOF)
    greeting, ok = fixture("server_greeting"), fixture("auth_ok")
    return [
        bytes([0x06]) + caps + greeting + ok,
        bytes([0x02]) + caps + greeting + fixture("auth_switch_request") + fixture("auth_switch_ok"),
        bytes([0x02]) + caps + fixture("cli_server_greeting") + fixture("err_access_denied"),
        bytes([0x03]) + caps + greeting + ok,
        bytes([0x0E]) + caps + greeting + ok + fixture("auth_switch_request") + ok,
        bytes([0x00]) + struct.pack("<I", 0) + greeting + ok,
    ]


# --- text seeds -----------------------------------------------------------------------------------

def query_rules_seeds():
    """[flags: 4][rule count][network: 4][address: 4][bits] NUL-separated fields."""
    def seed(flags, count, fields):
        head = struct.pack("<IB", flags, count) + bytes([10, 0, 0, 0]) + bytes([10, 1, 2, 3]) + bytes([8])
        return head + b"\0".join(fields)
    return [
        seed(0b000010, 0, [b"^SELECT", b"", b"", b"10.0.0.0/8", b"app", b"db", b"10.1.2.3", b"SELECT * FROM t"]),
        seed(0b000100_000001, 1, [b"FROM t\\b", b"FROM t2", b"", b"", b"", b"SELECT ?", b"", b"",
                                  b"app", b"db", b"127.0.0.1", b"select a from t where id = 5"]),
        seed(0b011000, 0, [b"", b"", b"^INSERT INTO `?orders", b"::ffff:10.0.0.1", b"app", b"db",
                           b"::ffff:10.0.0.1", b"INSERT INTO orders VALUES (1,2),(3,4)"]),
    ]


def replication_text_seeds():
    return [b"0-1-5,1-2-3\x000-1-4", b"0-1-5\x000-1-5,2-9-1", b"127.0.0.1:3306\x00", b"[::1]:3306\x00",
            b"3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5,\n3E11FA47-71CA-11E1-9E33-C80AA9429563:1-2\x00",
            b"o'brien\\\x00", b"5.5.5-10.11.19-MariaDB\x008.0.36"]


def config_seeds():
    seeds = [p.read_bytes() for p in sorted((ROOT / "examples").glob("*.toml"))]
    seeds += [s.encode() for s in literals(UNIT / "config_test.cc") if "=" in s and "\n" in s]
    routing = [s for s in literals(UNIT / "config_routing_test.cc") if "=" in s]
    base = routing[0]  # the shared head the routing tests append their sections to
    seeds += [(base + extra).encode() for extra in routing[1:]]
    return seeds


def main():
    corpus = Corpus()
    sql = statements("classifier_corpus_test.cc", "classifier_test.cc", "session_effects_test.cc")
    for target, seeds in [
        ("frame", frame_seeds()), ("compression", compression_seeds()),
        ("handshake_response", [payload_of("handshake_response"), payload_of("cli_handshake_response")]),
        ("messages", message_seeds()), ("commands", command_seeds()), ("stmt_execute", stmt_execute_seeds()),
        ("statement_messages", statement_messages_seeds()),
        ("response_tracker", tracker_seeds()), ("text_result", text_result_seeds()),
        ("server_handshake", server_handshake_seeds()), ("client_handshake", client_handshake_seeds()),
        ("sql_lexer", sql), ("classifier", sql), ("session_effects", sql),
        ("query_rules", query_rules_seeds()), ("replication_text", replication_text_seeds()),
        ("ha_grammar", statements("ha_grammar_test.cc")), ("config_loader", config_seeds()),
    ]:
        corpus.write(target, seeds)
    for target, size in corpus.sizes.items():
        print(f"{target:20} {len(list((CORPUS / target).iterdir())):4} seeds {size:7} bytes")
    print(f"{'total':20}      {sum(corpus.sizes.values()):13} bytes")


if __name__ == "__main__":
    main()

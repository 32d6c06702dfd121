#!/usr/bin/python3
"""Python half of bench/sharding/run (issue 16's figures): placing and loading the sharded table,
parsing one sysbench point, timing the reads across shards, and the report (JSON + table).

  helper.py selftest
  helper.py load SETTINGS_JSON OUT_JSON      placement, load of each shard primary, checks
  helper.py machine SETTINGS_JSON OUT_JSON   machine, versions, weft binary, commit (at start)
  helper.py point key=value ...              one sysbench point -> one JSON line on stdout
  helper.py scatter SETTINGS_JSON OUT_JSONL  reads across shards, timed
  helper.py report SETTINGS_JSON WORK_DIR OUT_JSON COMPLETE FAILURE
  helper.py table RESULT_JSON                the tables again from a saved result

Standard library only; talks to the servers with the mariadb CLI, and times statements with
tests/integration/wire_client.py (one persistent connection, COM_QUERY).
"""
import datetime
import hashlib
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "tests" / "integration"))
from wire_client import Conn, ServerError, frame  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
ROOT_PASSWORD = "sandbox-root"
MAP = "sb_map"


# ------------------------------------------------------------------ placement, as weft places it

def key_hash(normalized):
    """sharding/shard_key.cc key_hash: the first 8 bytes of MD5, big-endian."""
    return int.from_bytes(hashlib.md5(normalized.encode()).digest()[:8], "big")


def jump_bucket(h, buckets):
    """sharding/shard_key.cc jump_bucket: Lamping and Veach's jump consistent hash, with the same
    uint64 wrap-around and double arithmetic (Python floats are IEEE doubles; int() truncates
    toward zero as static_cast<int64_t> does)."""
    b, j = -1, 0
    while j < buckets:
        b = j
        h = (h * 2862933555777941757 + 1) & 0xFFFFFFFFFFFFFFFF
        j = int(float(b + 1) * (float(1 << 31) / float((h >> 33) + 1)))
    return b


def shard_of_int(key, buckets):
    return jump_bucket(key_hash(str(int(key))), buckets)  # an INTEGER key: its decimal form


def selftest():
    # The values tests/unit/sharding_test.cc checks for key_hash.
    assert key_hash("") == 0xD41D8CD98F00B204, hex(key_hash(""))
    assert key_hash("5") == 0xE4DA3B7FBBCE2345, hex(key_hash("5"))
    for i in range(1000):  # jump hash: growing from n to n+1 buckets only moves keys to the new one
        h = key_hash(str(i))
        assert jump_bucket(h, 1) == 0
        four, five = jump_bucket(h, 4), jump_bucket(h, 5)
        assert five == four or five == 4, (i, four, five)
    print("helper selftest: ok")


# ------------------------------------------------------------------ the mariadb CLI

def sql(port, query, user="root", password=ROOT_PASSWORD, raw=False, stdin=None, timeout=120,
        check=True, extra=()):
    argv = ["mariadb", "--protocol=TCP", "-h127.0.0.1", f"-P{port}", f"-u{user}",
            f"-p{password}", "--skip-ssl", "-N", "-B"] + (["--raw"] if raw else []) + list(extra)
    if query is not None:
        argv += ["-e", query]
    r = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        shown = query if query is None or len(query) < 300 else query[:300] + "..."
        raise RuntimeError(f"mariadb -P{port} -e {shown!r}: {r.stderr.strip()}")
    return r.stdout.rstrip("\n") if r.returncode == 0 else None


def lines(text):
    return [l for l in (text or "").split("\n") if l != ""]


# ------------------------------------------------------------------ load

def show_create(port, db, table):
    out = sql(port, f"SHOW CREATE TABLE `{db}`.`{table}`", raw=True)
    ddl = out.split("\t", 1)[1]
    return re.sub(r" AUTO_INCREMENT=\d+", "", ddl)


def load(settings_path, out_path):
    """Makes the sharded copy of DB.sbtest1: the definition of the unsharded one (created through
    weft: the global group, replicated to every shard), the rows of the unsharded one, each
    written directly on the primary of the shard that weft's HASH map places its id on. Checks
    the placement against CALL sharding.lookup_servers and weft's routing, and the copy against
    the source."""
    s = json.loads(Path(settings_path).read_text())
    db, table = s["db"], "sbtest1"
    src, glob = s["unsharded_port"], s["global_port"]
    admin_port, weft_port = s["weft_sharded_admin_port"], s["weft_sharded_port"]
    res = {"db": db, "table": table}

    # The map's shards in weft's order (shard_id), with their primaries.
    shards = []
    for l in lines(sql(admin_port, f"SHOW SHARDS FROM MAP {MAP}", user="admin",
                       password="admin-secret")):
        f = l.split("\t")  # map, shard_id, group, bound, primary
        shards.append({"shard_id": int(f[1]), "group": f[2], "primary": f[4]})
    shards.sort(key=lambda x: x["shard_id"])
    if len(shards) < 2:
        raise RuntimeError(f"SHOW SHARDS FROM MAP {MAP}: {shards}")
    n = len(shards)
    for sh in shards:
        sh["port"] = int(sh["primary"].rsplit(":", 1)[1])

    # The definition: the unsharded table's, created through weft (DDL goes to the global group).
    ddl = show_create(src, db, table)
    ddl_q = ddl.replace(f"CREATE TABLE `{table}`", f"CREATE TABLE `{db}`.`{table}`", 1)
    sql(weft_port, ddl_q, user=s["user"], password=s["password"])
    res["ddl"] = ddl
    deadline = time.time() + 60
    for sh in shards:
        while True:
            got = sql(sh["port"], f"SELECT COUNT(*) FROM information_schema.tables WHERE "
                                  f"table_schema = '{db}' AND table_name = '{table}'")
            if got == "1":
                break
            if time.time() > deadline:
                raise RuntimeError(f"the table created through weft did not reach {sh['primary']}")
            time.sleep(0.1)
        if show_create(sh["port"], db, table) != ddl:
            raise RuntimeError(f"{sh['primary']} has another definition of {db}.{table}")
    if show_create(glob, db, table) != ddl:
        raise RuntimeError(f"the global primary has another definition of {db}.{table}")

    # The rows, placed.
    rows = [l.split("\t") for l in lines(sql(src, f"SELECT id, k, c, pad FROM `{db}`.`{table}` "
                                                  f"ORDER BY id"))]
    if len(rows) != s["table_size"]:
        raise RuntimeError(f"the unsharded table holds {len(rows)} rows, not {s['table_size']}")
    for r in rows:
        if len(r) != 4 or not re.fullmatch(r"[0-9-]*", r[2] + r[3]):
            raise RuntimeError(f"unexpected row {r!r} (sysbench's c and pad are digits and dashes)")
    bucket = {int(r[0]): shard_of_int(r[0], n) for r in rows}

    # Cross-check 200 ids (or all, if fewer) against weft's own answer on the admin port.
    sample = sorted(random.Random(16).sample(sorted(bucket), min(200, len(bucket))))
    calls = "".join(f"CALL sharding.lookup_servers('{db}.{table}', '{i}', 'LOCAL');"
                    for i in sample)
    answer = [l.split("\t") for l in lines(sql(admin_port, calls, user="admin",
                                               password="admin-secret"))]
    primaries = [f[1] for f in answer if len(f) > 2 and f[2] == "PRIMARY"]
    if len(primaries) != len(sample):
        raise RuntimeError(f"lookup_servers gave {len(primaries)} primaries for {len(sample)} ids")
    mismatch = [i for i, p in zip(sample, primaries) if p != shards[bucket[i]]["primary"]]
    res["lookup_servers_checked"] = len(sample)
    res["lookup_servers_mismatches"] = len(mismatch)
    if mismatch:
        raise RuntimeError(f"weft places {len(mismatch)} of {len(sample)} sampled ids elsewhere "
                           f"than this script computes (e.g. id {mismatch[0]}); not loading")

    # Each shard primary gets its rows directly (binary log on: its replica gets them too).
    for b, sh in enumerate(shards):
        mine = [r for r in rows if bucket[int(r[0])] == b]
        sh["rows"] = len(mine)
        stmts = []
        for i in range(0, len(mine), 500):
            vals = ",".join(f"({r[0]},{r[1]},'{r[2]}','{r[3]}')" for r in mine[i:i + 500])
            stmts.append(f"INSERT INTO `{db}`.`{table}` (id, k, c, pad) VALUES {vals};")
        sql(sh["port"], None, stdin="\n".join(stmts) + "\n")

    # Checks: every shard holds exactly its ids, the global group none, the rows are the source's.
    def digest(port):
        c, crc = sql(port, f"SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, k, c, pad))),"
                           f" 0) FROM `{db}`.`{table}`").split("\t")
        return int(c), int(crc)
    want = digest(src)
    got = [0, 0]
    for b, sh in enumerate(shards):
        ids = {int(x) for x in lines(sql(sh["port"], f"SELECT id FROM `{db}`.`{table}`"))}
        if ids != {i for i, bb in bucket.items() if bb == b}:
            raise RuntimeError(f"{sh['primary']} does not hold exactly the ids placed on it")
        c, crc = digest(sh["port"])
        got[0] += c
        got[1] += crc
    if tuple(got) != want:
        raise RuntimeError(f"shards hold {got}, the unsharded table {want} (count, CRC32 sum)")
    if digest(glob)[0] != 0:
        raise RuntimeError("the global primary holds rows of the sharded table")
    res["checksum"] = {"rows": want[0], "crc32_sum": want[1]}

    # Through weft: the count across shards, and point reads landing on the placed shard.
    cnt = sql(weft_port, f"SELECT COUNT(*) FROM `{db}`.`{table}`", user=s["user"],
              password=s["password"])
    if cnt != str(s["table_size"]):
        raise RuntimeError(f"SELECT COUNT(*) through weft: {cnt}")
    probe = sample[:20]
    got_ports = lines(sql(weft_port, "".join(f"SELECT @@port FROM `{db}`.`{table}` WHERE id = {i};"
                                              for i in probe), user=s["user"],
                          password=s["password"]))
    want_ports = [str(shards[bucket[i]]["port"]) for i in probe]
    if got_ports != want_ports:
        raise RuntimeError(f"point reads through weft went to {got_ports}, expected {want_ports}")
    res["routing_probes"] = len(probe)
    res["shards"] = shards
    Path(out_path).write_text(json.dumps(res, indent=2) + "\n")
    print("placement: " + ", ".join(f"{sh['group']} ({sh['primary']}) {sh['rows']} rows"
                                     for sh in shards)
          + f"; {len(sample)} ids agree with CALL sharding.lookup_servers, {len(probe)} point reads "
            f"through weft reached the placed shard, COUNT(*) through weft = {cnt}")


# ------------------------------------------------------------------ one sysbench point

RX = {
    "queries": r"\n\s+queries:\s+(\d+)",
    "qps": r"\n\s+queries:\s+\d+\s+\(([\d.]+) per sec",
    "ignored_errors": r"ignored errors:\s+(\d+)",
    "reconnects": r"reconnects:\s+(\d+)",
    "total_time_s": r"total time:\s+([\d.]+)s",
    "lat_avg_ms": r"avg:\s+([\d.]+)",
    "lat_p95_ms": r"95th percentile:\s+([\d.]+)",
    "lat_max_ms": r"max:\s+([\d.]+)",
}


BUILD_PATTERN = "[c]make --build|[c]c1plus|[c]c1 "


def builds_running():
    """Compiler processes on the machine now (someone else's build, sharing the CPUs)."""
    r = subprocess.run(["pgrep", "-c", "-f", BUILD_PATTERN], capture_output=True, text=True)
    return int(r.stdout.strip() or 0)


def point(args):
    a = dict(x.split("=", 1) for x in args)
    out = Path(a["log"]).read_text(errors="replace")
    p = {"kind": "point_select", "ps_mode": a["ps_mode"], "round": int(a["round"]),
         "target": a["target"], "port": int(a["port"]), "threads": int(a["threads"]),
         "duration_s": int(a["duration"]), "exit_code": int(a["rc"]),
         "time": datetime.datetime.now().isoformat(timespec="seconds")}
    for k, rx in RX.items():
        m = re.search(rx, out)
        p[k] = (float(m.group(1)) if "." in m.group(1) else int(m.group(1))) if m else None
    q = p["queries"] or 0
    weft_s = (int(a["weft_ticks1"]) - int(a["weft_ticks0"])) / CLK_TCK
    srv_s = (int(a["srv_ticks1"]) - int(a["srv_ticks0"])) / CLK_TCK
    busy, total = int(a["sys_busy1"]) - int(a["sys_busy0"]), int(a["sys_total1"]) - int(a["sys_total0"])
    p.update(weft_pid=int(a["weft_pid"]), weft_cpu_s=weft_s, server_cpu_s=srv_s,
             servers=a["servers"], system_busy_pct=100.0 * busy / max(1, total),
             weft_cpu_us_per_query=weft_s / q * 1e6 if q else None,
             server_cpu_us_per_query=srv_s / q * 1e6 if q else None)
    p["build_processes_seen"] = max(int(a.get("builds0", 0)), int(a.get("builds1", 0)))
    p["ok"] = p["exit_code"] == 0 and q > 0 and p["qps"] is not None and a.get("weft_alive") == "1"
    if not p["ok"]:
        tail = out.strip().splitlines()[-12:]
        p["error"] = "\n".join(tail) + ("" if a.get("weft_alive") == "1" else "\nweft is not running")
    print(json.dumps(p))
    label = f"point_select ps={p['ps_mode']:<7} round {p['round']} {p['target']:<9}"
    if p["ok"]:
        print(f"{label} {p['qps']:>9,.0f} q/s  p95 {p['lat_p95_ms']:6.2f} ms  weft CPU "
              f"{p['weft_cpu_us_per_query']:6.1f} us/q  servers {p['server_cpu_us_per_query']:6.1f} "
              f"us/q  busy {p['system_busy_pct']:3.0f}%"
              + (f"  ignored errors {p['ignored_errors']}" if p.get("ignored_errors") else "")
              + ("  (a build was running)" if p["build_processes_seen"] else ""),
              file=sys.stderr)
    else:
        last = p["error"].splitlines()[-1] if p["error"].strip() else ""
        print(f"{label} FAILED (exit {p['exit_code']}): {last}", file=sys.stderr)


# ------------------------------------------------------------------ reads across shards

def proc_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def pct(sorted_vals, q):
    if not sorted_vals:
        return None
    return sorted_vals[max(0, math.ceil(q * len(sorted_vals)) - 1)]


def scatter(settings_path, out_path):
    s = json.loads(Path(settings_path).read_text())
    targets = s["scatter_targets"]  # [{name, port, pid or null}], the reference first
    runs, max_s, warm = s["scatter_runs"], s["scatter_max_seconds"], 20
    statements = [{"name": name, "sql": q.replace("{db}", s["db"])}
                  for name, q in s["scatter_statements"]]
    reference = {}
    with open(out_path, "a") as out:
        for rnd in range(1, s["rounds"] + 1):
            order = targets if rnd % 2 else [targets[0]] + targets[:0:-1]
            for st in statements:
                for t in order:
                    rec = {"kind": "scatter", "round": rnd, "statement": st["name"],
                           "sql": st["sql"], "target": t["name"], "port": t["port"],
                           "time": datetime.datetime.now().isoformat(timespec="seconds")}
                    builds0 = builds_running()
                    try:
                        c = Conn(t["port"], timeout=15)
                        ok = c.login(s["user"], s["password"], s["db"])
                        if ok[:1] != b"\x00":
                            raise RuntimeError(f"login refused: {ok[:80]!r}")
                        for _ in range(warm):
                            c.query(st["sql"])
                            rows = c.result_rows()
                        if st["name"] not in reference:
                            reference[st["name"]] = rows  # the first target's (direct) answer
                        ref = reference[st["name"]]
                        lat, wrong = [], 0
                        t0 = proc_ticks(t["pid"]) if t.get("pid") else None
                        end = time.monotonic() + max_s
                        for _ in range(runs):
                            a = time.perf_counter_ns()
                            c.query(st["sql"])
                            rows = c.result_rows()
                            lat.append((time.perf_counter_ns() - a) / 1e6)
                            if rows != ref:
                                wrong += 1
                            if time.monotonic() > end:
                                break
                        t1 = proc_ticks(t["pid"]) if t.get("pid") else None
                        c.send(frame(b"\x01", 0))  # COM_QUIT
                        c.sock.close()
                        sl = sorted(lat)
                        rec.update(ok=wrong == 0, runs=len(lat), wrong_answers=wrong,
                                   median_ms=statistics.median(sl), p95_ms=pct(sl, 0.95),
                                   mean_ms=statistics.mean(sl), min_ms=sl[0], max_ms=sl[-1],
                                   latencies_ms=[round(x, 4) for x in lat],
                                   answer_rows=len(ref))
                        if t0 is not None:
                            rec["weft_pid"] = t["pid"]
                            rec["weft_cpu_s"] = (t1 - t0) / CLK_TCK
                            rec["weft_cpu_us_per_query"] = rec["weft_cpu_s"] / len(lat) * 1e6
                        if wrong:
                            rec["error"] = f"{wrong} answers differ from {targets[0]['name']}'s"
                    except ServerError as e:
                        rec.update(ok=False, error=f"ERROR {e.args[0][0]} ({e.args[0][1]}): "
                                                   f"{e.args[0][2]}")
                    except (OSError, EOFError, RuntimeError) as e:
                        rec.update(ok=False, error=f"{type(e).__name__}: {e}")
                    rec["build_processes_seen"] = max(builds0, builds_running())
                    out.write(json.dumps(rec) + "\n")
                    out.flush()
                    label = f"scatter {st['name']:<14} round {rnd} {t['name']:<15}"
                    if rec.get("runs") and rec.get("ok"):
                        cpu = rec.get("weft_cpu_us_per_query")
                        print(f"{label} {rec['runs']:>5} runs  median {rec['median_ms']:6.3f} ms  "
                              f"p95 {rec['p95_ms']:6.3f} ms"
                              + (f"  weft CPU {cpu:6.1f} us/q" if cpu is not None else "")
                              + ("  (a build was running)" if rec["build_processes_seen"] else ""),
                              file=sys.stderr)
                    else:
                        print(f"{label} FAILED: {rec.get('error')}", file=sys.stderr)


# ------------------------------------------------------------------ report

def read_jsonl(path):
    p = Path(path)
    if not p.exists():
        return []
    return [json.loads(l) for l in p.read_text().splitlines() if l.strip().startswith("{")]


def cmd_first_line(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        t = (r.stdout + r.stderr).strip()
        return t.splitlines()[0] if t else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def machine_info(s):
    model = mem = None
    for l in open("/proc/cpuinfo"):
        if l.startswith("model name"):
            model = l.split(":", 1)[1].strip()
            break
    for l in open("/proc/meminfo"):
        if l.startswith("MemTotal"):
            mem = l.split(":", 1)[1].strip()
    git = cmd_first_line(["git", "-C", str(REPO), "rev-parse", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"], capture_output=True,
                           text=True).stdout.strip() != ""
    return {"hostname": platform.node(), "nproc": len(os.sched_getaffinity(0)),
            "cpu_model": model, "mem_total": mem, "kernel": platform.release(),
            "loadavg": open("/proc/loadavg").read().split()[:3], "clk_tck": CLK_TCK,
            "mariadb_server": sql(s["unsharded_port"], "SELECT @@version", check=False),
            "sysbench": cmd_first_line(["sysbench", "--version"]),
            "weft_bin": s["weft_bin"], "weft_version": cmd_first_line([s["weft_bin"], "--version"]),
            "weft_bin_sha256": hashlib.sha256(Path(s["weft_bin"]).read_bytes()).hexdigest(),
            "weft_bin_mtime": datetime.datetime.fromtimestamp(
                Path(s["weft_bin"]).stat().st_mtime).isoformat(timespec="seconds"),
            "git_commit": git, "git_dirty": dirty,
            "collected": datetime.datetime.now().isoformat(timespec="seconds")}


def mean(vals):
    vals = [v for v in vals if v is not None]
    return statistics.mean(vals) if vals else None


def summarize(points, scatter_recs, target_ratio):
    point_rows, ratios = [], []
    modes = []
    for p in points:
        if p["ps_mode"] not in modes:
            modes.append(p["ps_mode"])
    for mode in modes:
        by = {}
        for tgt in ("unsharded", "sharded"):
            mine = [p for p in points if p["ps_mode"] == mode and p["target"] == tgt]
            ok = [p for p in mine if p.get("ok")]
            row = {"ps_mode": mode, "target": tgt, "rounds_ok": len(ok),
                   "rounds_failed": len(mine) - len(ok)}
            if ok:
                q = [p["qps"] for p in ok]
                row.update(qps_mean=statistics.mean(q), qps_min=min(q), qps_max=max(q),
                           lat_p95_ms=mean(p["lat_p95_ms"] for p in ok),
                           weft_cpu_us_per_query=mean(p["weft_cpu_us_per_query"] for p in ok),
                           server_cpu_us_per_query=mean(p["server_cpu_us_per_query"] for p in ok),
                           system_busy_pct=mean(p["system_busy_pct"] for p in ok),
                           ignored_errors=sum(p.get("ignored_errors") or 0 for p in ok))
            errs = [p.get("error") for p in mine if not p.get("ok")]
            if errs:
                row["first_error"] = errs[0]
            by[tgt] = row
            point_rows.append(row)
        u, sh = by["unsharded"], by["sharded"]
        r = {"ps_mode": mode, "target_max": target_ratio}
        if u.get("weft_cpu_us_per_query") and sh.get("weft_cpu_us_per_query"):
            r["cpu_per_query_ratio"] = sh["weft_cpu_us_per_query"] / u["weft_cpu_us_per_query"]
            r["qps_ratio"] = sh["qps_mean"] / u["qps_mean"]
            per_round = []
            for rnd in sorted({p["round"] for p in points if p["ps_mode"] == mode}):
                a = [p for p in points if p["ps_mode"] == mode and p["round"] == rnd and p.get("ok")]
                pu = [p for p in a if p["target"] == "unsharded"]
                ps = [p for p in a if p["target"] == "sharded"]
                if pu and ps:
                    per_round.append(ps[0]["weft_cpu_us_per_query"] / pu[0]["weft_cpu_us_per_query"])
            r["cpu_per_query_ratio_per_round"] = per_round
            r["met"] = r["cpu_per_query_ratio"] <= target_ratio
        ratios.append(r)

    scatter_rows = []
    keys = []
    for rec in scatter_recs:
        k = (rec["statement"], rec["target"])
        if k not in keys:
            keys.append(k)
    for stmt, tgt in keys:
        mine = [x for x in scatter_recs if (x["statement"], x["target"]) == (stmt, tgt)]
        ok = [x for x in mine if x.get("ok")]
        row = {"statement": stmt, "sql": mine[0]["sql"], "target": tgt, "rounds_ok": len(ok),
               "rounds_failed": len(mine) - len(ok)}
        lat = sorted(v for x in ok for v in x["latencies_ms"])
        if lat:
            row.update(runs=len(lat), median_ms=statistics.median(lat), p95_ms=pct(lat, 0.95),
                       mean_ms=statistics.mean(lat))
            cpu = [x for x in ok if x.get("weft_cpu_s") is not None]
            if cpu:
                row["weft_cpu_us_per_query"] = (sum(x["weft_cpu_s"] for x in cpu)
                                                / sum(x["runs"] for x in cpu) * 1e6)
        errs = [x.get("error") for x in mine if not x.get("ok")]
        if errs:
            row["first_error"] = errs[0]
        scatter_rows.append(row)
    for row in scatter_rows:
        ref = {r["target"]: r for r in scatter_rows if r["statement"] == row["statement"]}
        d, wu = ref.get("direct"), ref.get("weft-unsharded")
        if d and d.get("median_ms") and row.get("median_ms"):
            row["median_x_direct"] = row["median_ms"] / d["median_ms"]
            row["p95_x_direct"] = row["p95_ms"] / d["p95_ms"]
        if wu and wu.get("weft_cpu_us_per_query") and row.get("weft_cpu_us_per_query"):
            row["weft_cpu_x_unsharded"] = row["weft_cpu_us_per_query"] / wu["weft_cpu_us_per_query"]
    return {"point_select": point_rows, "point_select_ratios": ratios, "scatter": scatter_rows}


def f(v, spec, none="-"):
    return none if v is None else format(v, spec)


def print_tables(result):
    s, summ = result["settings"], result["summary"]
    print()
    print(f"key-routed oltp_point_select: {s['threads']} threads, {s['duration']} s x "
          f"{s['rounds']} rounds per target, weft workers = {s['weft_workers']}, "
          f"{s['table_size']:,} rows")
    head = (f"{'ps-mode':<8} {'target':<10} {'QPS':>8} {'min-max':>15} {'p95 ms':>7} "
            f"{'weft CPU us/q':>13} {'servers us/q':>12} {'busy %':>6}")
    print(head)
    print("-" * len(head))
    for r in summ["point_select"]:
        if not r.get("qps_mean"):
            print(f"{r['ps_mode']:<8} {r['target']:<10} {'FAILED':>8}  {(r.get('first_error') or '').splitlines()[-1:]}")
            continue
        mm = f"{r['qps_min']:,.0f}-{r['qps_max']:,.0f}"
        print(f"{r['ps_mode']:<8} {r['target']:<10} {r['qps_mean']:>8,.0f} {mm:>15} "
              f"{f(r['lat_p95_ms'], '.2f'):>7} {f(r['weft_cpu_us_per_query'], '.1f'):>13} "
              f"{f(r['server_cpu_us_per_query'], '.1f'):>12} {f(r['system_busy_pct'], '.0f'):>6}")
    for r in summ["point_select_ratios"]:
        if r.get("cpu_per_query_ratio") is None:
            print(f"ps-mode {r['ps_mode']}: no ratio (a target failed)")
            continue
        pr = ", ".join(f"{x:.2f}" for x in r["cpu_per_query_ratio_per_round"])
        print(f"ps-mode {r['ps_mode']}: weft CPU per query sharded/unsharded = "
              f"{r['cpu_per_query_ratio']:.3f} (rounds: {pr}); target <= {r['target_max']:.2f}: "
              f"{'met' if r['met'] else 'NOT met'}; QPS sharded/unsharded = {r['qps_ratio']:.2f}")
    print()
    print(f"reads across shards: one connection, {s['scatter_runs']} runs per round "
          f"(at most {s['scatter_max_seconds']} s) x {s['rounds']} rounds per target")
    head = (f"{'statement':<14} {'target':<15} {'runs':>5} {'median ms':>9} {'p95 ms':>7} "
            f"{'x direct (med/p95)':>18} {'weft CPU us/q':>13} {'CPU x unsharded':>15}")
    print(head)
    print("-" * len(head))
    last = None
    for r in summ["scatter"]:
        name = r["statement"] if r["statement"] != last else ""
        last = r["statement"]
        if not r.get("runs"):
            print(f"{name:<14} {r['target']:<15} {'FAILED':>5}  {r.get('first_error')}")
            continue
        xd = (f"{r['median_x_direct']:.2f}/{r['p95_x_direct']:.2f}"
              if r.get("median_x_direct") is not None else "-")
        print(f"{name:<14} {r['target']:<15} {r['runs']:>5} {r['median_ms']:>9.3f} "
              f"{r['p95_ms']:>7.3f} {xd:>18} {f(r.get('weft_cpu_us_per_query'), '.1f'):>13} "
              f"{f(r.get('weft_cpu_x_unsharded'), '.2f'):>15}")
    for name, q in s["scatter_statements"]:
        print(f"  {name}: {q.replace('{db}', s['db'])}")
    busy = [x for x in result["points"] + result["scatter"] if x.get("build_processes_seen")]
    if busy:
        print()
        print(f"WARNING: a compiler was running during {len(busy)} of "
              f"{len(result['points']) + len(result['scatter'])} measurements (someone else's "
              f"build sharing the CPUs): their figures are disturbed; run again on a quiet machine.")
    print()
    print("weft CPU: utime+stime of the weft process from /proc/PID/stat around each run, per "
          "query; servers: the same for the mariadbd processes of the target's layout (unsharded: "
          "23306; sharded: 23320, 23322, 23324). unsharded = weft in front of the sandbox primary; "
          "sharded = weft in front of the sharded layout, the table HASH-mapped on id over "
          "shard1 and shard2; direct = the sandbox primary without weft.")


def report(settings_path, work, out_path, complete, failure):
    s = json.loads(Path(settings_path).read_text())
    work = Path(work)
    points = read_jsonl(work / "points.jsonl")
    scatter_recs = read_jsonl(work / "scatter.jsonl")
    placement = json.loads((work / "placement.json").read_text()) \
        if (work / "placement.json").exists() else None
    try:  # collected at the start (binary, commit); at the end only if the start's is missing
        info = json.loads((work / "machine.json").read_text()) \
            if (work / "machine.json").exists() else machine_info(s)
        info["loadavg_at_end"] = open("/proc/loadavg").read().split()[:3]
    except Exception as e:  # noqa: BLE001 - the report must still be written
        info = {"error": str(e)}
    result = {"tool": "bench/sharding/run", "started": s.get("started"),
              "finished": datetime.datetime.now().isoformat(timespec="seconds"),
              "complete": complete == "1", "failure": failure or None,
              "settings": {k: v for k, v in s.items() if k != "password"}, "machine": info,
              "placement": placement, "points": points, "scatter": scatter_recs,
              "summary": summarize(points, scatter_recs, s["target_ratio"]),
              "measurements_with_a_build_running": sum(
                  1 for x in points + scatter_recs if x.get("build_processes_seen"))}
    if points or scatter_recs or placement:
        Path(out_path).parent.mkdir(parents=True, exist_ok=True)
        Path(out_path).write_text(json.dumps(result, indent=2) + "\n")
        print_tables(result)
        print(f"wrote {out_path}")
    bad = [p for p in points + scatter_recs if not p.get("ok")]
    if bad:
        print(f"{len(bad)} point(s) failed; see 'error' in the JSON")
    return 0 if complete == "1" and not bad and points and scatter_recs else 1


def main():
    cmd, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if cmd == "selftest":
        selftest()
    elif cmd == "load":
        load(*args)
    elif cmd == "machine":
        s = json.loads(Path(args[0]).read_text())
        Path(args[1]).write_text(json.dumps(machine_info(s), indent=2) + "\n")
    elif cmd == "point":
        point(args)
    elif cmd == "scatter":
        scatter(*args)
    elif cmd == "report":
        return report(*args)
    elif cmd == "table":
        print_tables(json.loads(Path(args[0]).read_text()))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Logs in from a chosen local address (the mariadb CLI cannot bind one) and prints
CURRENT_USER(), or the server's refusal as "ERROR <code>: <message>".

usage: login_from.py PORT USER PASSWORD BIND_ADDRESS"""
import sys

import pymysql

port, user, password, bind = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
try:
    conn = pymysql.connect(host="127.0.0.1", port=int(port), user=user, password=password,
                           bind_address=bind, connect_timeout=10)
except pymysql.err.OperationalError as e:
    print(f"ERROR {e.args[0]}: {e.args[1]}")
    sys.exit(0)
with conn.cursor() as cur:
    cur.execute("SELECT CURRENT_USER()")
    print(cur.fetchone()[0])
conn.close()

"""A plain TCP relay for tests: listens on HOST:PORT, forwards each connection to 127.0.0.1:TARGET.
Used to put a link the test can cut between weft (in a network namespace) and a sandbox server."""
import socket, sys, threading
listen_host, listen_port, target_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            b.sendall(d)
    except OSError: pass
    for s in (a, b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind((listen_host, listen_port)); srv.listen(64)
print('ready', flush=True)
while True:
    c, _ = srv.accept()
    u = socket.create_connection(('127.0.0.1', target_port))
    threading.Thread(target=pump, args=(c, u), daemon=True).start()
    threading.Thread(target=pump, args=(u, c), daemon=True).start()

# Peer: the original example's shape, a Python eventlet server with one loop per client, on the
# same workload. Usage: python3 eventlet_server.py PORT RATE BYTES
import sys
import time

import eventlet
import eventlet.websocket
import eventlet.wsgi

port, rate, size = (int(a) for a in sys.argv[1:4])
pad = "x" * max(0, size - len('{"n":1000000,"ts":1000000000000000,"pad":""}'))


@eventlet.websocket.WebSocketWSGI
def load(ws):
    n = 0
    while rate == 0:  # idle connections
        eventlet.sleep(3600)
    interval = 1.0 / rate
    while True:
        n += 1
        ws.send('{"n":%d,"ts":%d,"pad":"%s"}' % (n, time.monotonic_ns(), pad))
        eventlet.sleep(interval)


def app(environ, start_response):
    if environ["PATH_INFO"] == "/load":
        return load(environ, start_response)
    start_response("404 Not Found", [])
    return []


listener = eventlet.listen(("127.0.0.1", port), backlog=4096)
print("listening on %d" % port, flush=True)
# One green thread per connection, without the default cap of 1,024.
eventlet.wsgi.server(listener, app, log_output=False, max_size=100000)

#!/usr/bin/env python3
"""Connection holders for benchmarks/peers/silent.sh (standard library only, Linux).

  silent_conns.py backend --listen 127.0.0.1:PORT
      Accepts connections; on a connection's first bytes answers one byte (0x01) and then discards whatever
      follows; closes on EOF. Runs until SIGTERM.

  silent_conns.py open --target 127.0.0.1:PORT --connections N [--hello FILE] [--rate R] [--hold S]
                       [--watch-pid PID [--window W]]
      Opens N connections, at most R new ones per second (and, with --watch-pid, at most W ahead of the
      descriptors the proxy PID has opened, so its listen backlog never overflows). Without --hello they stay silent: connect, then no
      byte is sent. With --hello each sends the file's bytes and waits for the backend's one-byte answer (an
      idle, streaming connection). Prints one line "READY opened=… failed=… seconds=…" once every connection is
      open (or failed), holds them until SIGTERM or S seconds, closes them and prints "mode=… closed=…".

Only the selectors module waits; one process holds every socket (raise the open-files limit first).
"""
import argparse
import errno
import os
import selectors
import signal
import socket
import sys
import time

_stop = False


def _on_signal(signum, frame):  # noqa: ARG001 - signal handler signature
    global _stop
    _stop = True


def _address(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def _receive(conn, size):
    """recv on a non-blocking socket: None when nothing is there yet, b"" for a reset as for the end of stream."""
    try:
        return conn.recv(size)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""


def backend(listen):
    sel = selectors.DefaultSelector()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(_address(listen))
    server.listen(4096)
    server.setblocking(False)
    sel.register(server, selectors.EVENT_READ, None)
    answered = set()
    while not _stop:
        for key, _ in sel.select(timeout=0.2):
            if key.data is None:
                while True:
                    try:
                        conn, _ = server.accept()
                    except (BlockingIOError, InterruptedError):
                        break
                    conn.setblocking(False)
                    sel.register(conn, selectors.EVENT_READ, conn.fileno())
                continue
            conn = key.fileobj
            data = _receive(conn, 65536)
            if data is None:
                continue
            if not data:
                answered.discard(key.data)
                sel.unregister(conn)
                conn.close()
            elif key.data not in answered:
                answered.add(key.data)
                try:
                    conn.send(b"\x01")
                except OSError:
                    pass
    return 0


def _descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def open_connections(target, count, hello, rate, hold, watch_pid, window):
    sel = selectors.DefaultSelector()
    # Pacing by the proxy's descriptors: no more than `window` connections ahead of what it has accepted, so its
    # listen backlog never overflows (an overflow drops the handshake and the client retries after 1 s, 3 s, ...).
    # When the proxy stops accepting (at its connection cap) for a second, the rest are opened unpaced.
    base = _descriptors(watch_pid) if watch_pid else 0
    last_progress, last_seen = time.monotonic(), base
    address = _address(target)
    held = []
    pending = 0
    failed = 0
    started = time.monotonic()
    next_batch = started
    batch = max(1, rate // 50)
    made = 0
    while (made < count or pending > 0) and not _stop:
        now = time.monotonic()
        due = made < count and now >= next_batch
        if due and watch_pid:
            seen = _descriptors(watch_pid)
            if seen != last_seen:
                last_progress, last_seen = now, seen
            if made - (seen - base) >= window and now - last_progress < 1.0:
                due = False
                next_batch = now  # no burst to catch up with once the proxy has caught up
        if due:
            for _ in range(min(batch, count - made)):
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                made += 1
                code = s.connect_ex(address)
                if code not in (0, errno.EINPROGRESS):
                    failed += 1
                    s.close()
                    continue
                sel.register(s, selectors.EVENT_WRITE, "connecting")
                pending += 1
            next_batch += batch / rate
        timeout = 0.002 if made < count else 0.02
        for key, _ in sel.select(timeout=timeout):
            s = key.fileobj
            if key.data == "connecting":
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    sel.unregister(s)
                    s.close()
                    pending -= 1
                    failed += 1
                elif hello is None:
                    sel.unregister(s)
                    held.append(s)
                    pending -= 1
                else:
                    try:
                        s.sendall(hello)  # a hello fits the fresh socket's send buffer
                        sel.modify(s, selectors.EVENT_READ, "waiting")
                    except OSError:
                        sel.unregister(s)
                        s.close()
                        pending -= 1
                        failed += 1
            else:
                answer = _receive(s, 1)
                if answer is None:
                    continue
                sel.unregister(s)
                pending -= 1
                if answer == b"\x01":
                    held.append(s)
                else:
                    failed += 1
                    s.close()
        if hello is not None and pending > 0 and time.monotonic() - started > 60:
            break  # connections the proxy never answered (at its cap, say) are not held
    print(f"READY opened={len(held)} failed={failed + pending} seconds={time.monotonic() - started:.3f}", flush=True)
    until = time.monotonic() + hold
    while not _stop and time.monotonic() < until:
        time.sleep(0.05)
    for s in held:
        s.close()
    print(f"mode={'idle' if hello is not None else 'silent'} closed={len(held)}", flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backend")
    b.add_argument("--listen", required=True)
    o = sub.add_parser("open")
    o.add_argument("--target", required=True)
    o.add_argument("--connections", type=int, required=True)
    o.add_argument("--hello")
    o.add_argument("--rate", type=int, default=5000)
    o.add_argument("--hold", type=float, default=3600)
    o.add_argument("--watch-pid", type=int, help="pace by this process's open descriptors (the proxy's)")
    o.add_argument("--window", type=int, default=256, help="connections opened ahead of the proxy's accepts")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    if args.command == "backend":
        return backend(args.listen)
    hello = None
    if args.hello:
        with open(args.hello, "rb") as f:
            hello = f.read()
    return open_connections(args.target, args.connections, hello, args.rate, args.hold, args.watch_pid, args.window)


if __name__ == "__main__":
    sys.exit(main())

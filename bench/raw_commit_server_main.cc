// raw_commit_server: baseline (b) of the server benchmark. Its one writer
// thread commits each waiting batch of raw RocksDB writes of the bytes the
// real store writes per command, with sync (group commit), and each RPC is
// answered after its batch is synced: the floor of a durable server.
//
//   raw_commit_server --listen=127.0.0.1:0 --port_file=/tmp/raw.port --data_dir=/tmp/raw
#include "bench/baseline_service.h"

int main(int argc, char** argv) { return rectify::bench::ServeBaseline(argc, argv, true); }

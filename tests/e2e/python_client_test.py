"""An independent client: Python's grpcio (Debian's python3-grpcio) calls the
real rectify_server through stubs generated from our .proto files by
protoc's Python and gRPC plugins, to show the API works for clients other than our own C++ one.

Run by python_client_test.sh with the server's port and the proto folder.
Checks: the health service answers SERVING; ReportCase with Chinese text
returns a case id; GetCase returns every field as sent; a foreign county's
inspector is refused with PERMISSION_DENIED; a missing token is refused with
UNAUTHENTICATED.
"""
import os
import subprocess
import sys
import tempfile

import grpc


def generate(proto_root, out_dir):
    """Generates Python messages and stubs with Debian's protoc 3.21 and
    grpc_python_plugin (grpc_tools' bundled protoc predates proto3 optional)."""
    files = [os.path.join("rectify/v1", name)
             for name in sorted(os.listdir(os.path.join(proto_root, "rectify/v1")))
             if name.endswith(".proto")]
    subprocess.run(["protoc", f"-I{proto_root}", "-I/usr/include",
                    f"--python_out={out_dir}", f"--grpc_out={out_dir}",
                    "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin", *files],
                   check=True)
    # Packages for the generated modules.
    for root, _, _ in os.walk(out_dir):
        open(os.path.join(root, "__init__.py"), "a").close()


def main():
    port, proto_root = sys.argv[1], sys.argv[2]
    out_dir = tempfile.mkdtemp()
    generate(proto_root, out_dir)
    sys.path.insert(0, out_dir)
    from rectify.v1 import case_service_pb2, case_service_pb2_grpc, common_pb2

    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    # grpc.health.v1 would clash with the grpc package itself once generated,
    # so the health check is called with raw bytes: an empty request, and
    # SERVING is field 1 = 1.
    check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                request_serializer=lambda raw: raw,
                                response_deserializer=lambda raw: raw)
    assert check(b"", timeout=10) == b"\x08\x01", "health check is not SERVING"

    cases = case_service_pb2_grpc.CaseServiceStub(channel)
    supervisor = [("authorization", "Bearer demo-supervisor")]
    request = case_service_pb2.ReportCaseRequest(
        command_id="python-client-1",
        title="黑河支流疑似偷排",
        description="夜间排口有黄色污水流出",
        category=common_pb2.CATEGORY_WATER,
        severity=common_pb2.SEVERITY_HIGH,
        source=common_pb2.CASE_SOURCE_MEDIA,
        location=common_pb2.Location(region_code="620722", address="民乐县六坝镇"),
        subject=common_pb2.RegulatedSubject(name="某养殖场",
                                            unified_social_credit_code="91350100M000100Y43"),
        complainant=common_pb2.Complainant(name="李四", phone="0936-1234567"),
    )
    request.found_at.GetCurrentTime()
    request.found_at.seconds -= 3600
    reported = cases.ReportCase(request, metadata=supervisor, timeout=10)
    case_id = reported.case.case_id
    assert case_id.startswith("620722-"), reported

    got = cases.GetCase(case_service_pb2.GetCaseRequest(case_id=case_id),
                        metadata=supervisor, timeout=10).case
    assert got.title == "黑河支流疑似偷排", got
    assert got.location.address == "民乐县六坝镇", got
    assert got.subject.unified_social_credit_code == "91350100M000100Y43", got
    assert got.complainant.name == "李四", got
    assert got.found_at == request.found_at, got

    try:
        cases.GetCase(case_service_pb2.GetCaseRequest(case_id=case_id),
                      metadata=[("authorization", "Bearer demo-inspector-ganzhou")], timeout=10)
        raise AssertionError("a foreign county's inspector read the case")
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.PERMISSION_DENIED, error
    try:
        cases.GetCase(case_service_pb2.GetCaseRequest(case_id=case_id), timeout=10)
        raise AssertionError("a call without a token was answered")
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.UNAUTHENTICATED, error
    print(f"python client: reported and read back {case_id}")


if __name__ == "__main__":
    main()

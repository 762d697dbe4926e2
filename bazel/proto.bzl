"""C++ code from .proto files with Debian's protoc and grpc_cpp_plugin.

    cc_grpc_proto_library(
        name = "rectify_v1_cc",
        srcs = ["case.proto", "events.proto", "case_service.proto"],
    )

gives a cc_library whose headers are included as "rectify/v1/case.pb.h" and
"rectify/v1/case_service.grpc.pb.h": the import root is the `proto/` folder,
which is also buf's module root, so imports, packages and includes agree.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

_IMPORT_ROOT = "proto"

def cc_grpc_proto_library(name, srcs, deps = [], visibility = None, grpc_header = None,
                          grpc_header_srcs = []):
    """Generates and compiles messages and gRPC stubs for `srcs`.

    Args:
      name: the cc_library's name.
      srcs: .proto files of this package; all are compiled in one protoc run.
      deps: other cc_grpc_proto_library targets whose .proto files these import.
      visibility: the cc_library's visibility.
      grpc_header: a header of this package (e.g. "request_parsing.h") that
        every generated .grpc.pb.h includes right after its .pb.h, through
        grpc_cpp_plugin's additional_header_includes: the place for
        grpc::SerializationTraits of the package's messages.
      grpc_header_srcs: the sources that implement grpc_header.
    """
    bases = [src[:-len(".proto")] for src in srcs]
    headers = [b + ".pb.h" for b in bases] + [b + ".grpc.pb.h" for b in bases]
    sources = [b + ".pb.cc" for b in bases] + [b + ".grpc.pb.cc" for b in bases]
    native.filegroup(
        name = name + "_files",
        srcs = srcs,
        visibility = visibility,
    )
    native.genrule(
        name = name + "_gen",
        srcs = srcs + [d + "_files" for d in deps],
        outs = headers + sources,
        cmd = " ".join([
            "protoc",
            "--proto_path=" + _IMPORT_ROOT,
            "--proto_path=/usr/include",
            "--cpp_out=$(GENDIR)/" + _IMPORT_ROOT,
            "--grpc_out=%s$(GENDIR)/%s" % (
                ("additional_header_includes=%s/%s:" % (native.package_name()[len(_IMPORT_ROOT) + 1:],
                                                        grpc_header)) if grpc_header else "",
                _IMPORT_ROOT,
            ),
            "--plugin=protoc-gen-grpc=$$(command -v grpc_cpp_plugin)",
        ] + ["$(location %s)" % src for src in srcs]),
        message = "Generating C++ and gRPC code for " + name,
    )
    cc_library(
        name = name,
        srcs = sources + grpc_header_srcs,
        hdrs = headers + ([grpc_header] if grpc_header else []),
        strip_include_prefix = "/" + _IMPORT_ROOT,
        deps = deps + ["@system//:grpcpp", "@system//:protobuf"],
        visibility = visibility,
    )

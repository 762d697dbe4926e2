"""Re-exports Bazel 4's native Java rules under rules_java's names.

This project has no Java code; Bazel's own @bazel_tools loads these names from
@rules_java when it registers its default toolchains, and the real rules_java
would be a download.
"""

def java_binary(**kwargs):
    native.java_binary(**kwargs)

def java_import(**kwargs):
    native.java_import(**kwargs)

def java_library(**kwargs):
    native.java_library(**kwargs)

def java_proto_library(**kwargs):
    native.java_proto_library(**kwargs)

def java_runtime(**kwargs):
    native.java_runtime(**kwargs)

def java_toolchain(**kwargs):
    native.java_toolchain(**kwargs)

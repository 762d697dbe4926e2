#!/usr/bin/env python3
"""Checks a Rectify referral package (移送材料) on its own: python3, standard library only.

Usage:  python3 check_referral_package.py PACKAGE_DIR

It recomputes the hash chain of the case's history from the canonical bytes in
events/ (hash = SHA-256(previous hash || canonical bytes), the previous hash of
version 1 empty; docs/storage.md "Canonical bytes" in the Rectify sources),
checks that each event's bytes name this case, its version and the previous
hash, that no event carries a complainant's name or phone, and that every
evidence file hashes to the SHA-256 in the manifest and in the event that
recorded it. Prints a verdict in Chinese and English; exit 0 when the package
verifies, 1 when it does not, 2 for a usage error.
"""
import hashlib
import json
import os
import sys

# Field numbers of rectify.v1.Event (proto/rectify/v1/event.proto): a contract.
EVENT_STREAM_ID = 2
EVENT_VERSION = 4
EVENT_PREV_HASH = 10
EVENT_HASH = 11
EVENT_CASE_REPORTED = 20
EVENT_EVIDENCE_RECORDED = 33
CASE_REPORTED_COMPLAINANT = 10
CASE_REPORTED_COMPLAINANT_SALTS = 14
EVIDENCE_RECORDED_EVIDENCE = 1
EVIDENCE_SHA256 = 5


class Malformed(Exception):
    pass


def read_varint(data, pos):
    value = 0
    shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise Malformed("truncated varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def parse_fields(data):
    """The protobuf wire fields of `data`: a list of (number, wire type, value)."""
    fields = []
    pos = 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise Malformed("field number 0")
        if wire == 0:
            value, pos = read_varint(data, pos)
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = read_varint(data, pos)
            if pos + length > len(data):
                raise Malformed("truncated field %d" % number)
            value, pos = data[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        else:
            raise Malformed("wire type %d" % wire)
        if pos > len(data):
            raise Malformed("truncated field %d" % number)
        fields.append((number, wire, value))
    return fields


def field(fields, number, default=None):
    found = [value for (n, _, value) in fields if n == number]
    return found[-1] if found else default


def check(package):
    problems = []
    try:
        with open(os.path.join(package, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        return None, ["manifest.json 无法读取 / cannot be read: %s" % error]
    case_id = manifest.get("case_id", "")
    events = manifest.get("events", [])
    if not events:
        problems.append("清单中没有事件 / the manifest lists no events")
    prev_hash = b""
    recorded_evidence = set()
    for index, entry in enumerate(events):
        expected_version = index + 1
        name = "%s#%d" % (case_id, expected_version)
        try:
            version = int(entry["version"])
            path = os.path.join(package, entry["file"])
            listed_hash = bytes.fromhex(entry["hash"])
        except (KeyError, TypeError, ValueError) as error:
            problems.append("事件 %s 的清单项有误 / the manifest entry of %s is malformed: %s"
                            % (name, name, error))
            break
        if version != expected_version:
            problems.append("事件版本不连续 / versions are not 1, 2, 3...: %d where %d belongs"
                            % (version, expected_version))
        try:
            with open(path, "rb") as f:
                canonical = f.read()
        except OSError as error:
            problems.append("事件 %s 的规范字节缺失 / the canonical bytes of %s are missing: %s"
                            % (name, name, error))
            break
        computed = hashlib.sha256(prev_hash + canonical).digest()
        if computed != listed_hash:
            problems.append("事件 %s 的哈希不符（内容被改动）/ the hash of %s does not match its "
                            "bytes (the event was changed)" % (name, name))
        try:
            fields = parse_fields(canonical)
            if field(fields, EVENT_STREAM_ID, b"").decode("utf-8") != case_id:
                problems.append("事件 %s 不属于本案 / %s names another case" % (name, name))
            if field(fields, EVENT_VERSION, 0) != expected_version:
                problems.append("事件 %s 的版本号不符 / %s carries another version" % (name, name))
            if field(fields, EVENT_PREV_HASH, b"") != prev_hash:
                problems.append("事件 %s 与前一事件的链接断开 / %s does not link to the event "
                                "before it" % (name, name))
            if field(fields, EVENT_HASH) is not None:
                problems.append("事件 %s 的规范字节含有哈希字段 / the canonical bytes of %s hold "
                                "a hash" % (name, name))
            reported = field(fields, EVENT_CASE_REPORTED)
            if reported is not None:
                inner = parse_fields(reported)
                if (field(inner, CASE_REPORTED_COMPLAINANT) is not None
                        or field(inner, CASE_REPORTED_COMPLAINANT_SALTS) is not None):
                    problems.append("事件 %s 含有举报人个人信息 / %s carries the complainant's "
                                    "personal data" % (name, name))
            recorded = field(fields, EVENT_EVIDENCE_RECORDED)
            if recorded is not None:
                evidence = parse_fields(field(parse_fields(recorded), EVIDENCE_RECORDED_EVIDENCE, b""))
                recorded_evidence.add(field(evidence, EVIDENCE_SHA256, b"").decode("ascii"))
        except (Malformed, UnicodeDecodeError, TypeError) as error:
            problems.append("事件 %s 的规范字节无法解析 / the canonical bytes of %s cannot be "
                            "parsed: %s" % (name, name, error))
        # The chain goes on from the hash the bytes give, so that one changed
        # event is reported once, not at every later link.
        prev_hash = computed
    head = prev_hash.hex()
    if events and manifest.get("head_hash") != head:
        problems.append("清单中的末端哈希与事件链不符 / the manifest's head hash is not the "
                        "chain's")
    if manifest.get("event_count") is not None and int(manifest["event_count"]) != len(events):
        problems.append("事件数量不符 / the event count does not match the events listed")
    for item in manifest.get("evidence", []):
        label = item.get("evidence_id", "?")
        try:
            with open(os.path.join(package, item["file"]), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        except (OSError, KeyError, TypeError) as error:
            problems.append("证据 %s 的文件缺失 / the file of evidence %s is missing: %s"
                            % (label, label, error))
            continue
        if digest != item.get("sha256"):
            problems.append("证据 %s 的 SHA-256 不符（文件被改动）/ evidence %s does not match its "
                            "SHA-256 (the file was changed)" % (label, label))
        if item.get("sha256") not in recorded_evidence:
            problems.append("证据 %s 未在案件历史中登记 / evidence %s was not recorded in the "
                            "case's history" % (label, label))
    listed = set(item.get("sha256") for item in manifest.get("evidence", []))
    for digest in sorted(recorded_evidence - listed):
        problems.append("案件历史中登记的证据 %s 未随材料提供 / evidence %s recorded in the "
                        "history is not in the package" % (digest, digest))
    return head, problems


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2
    head, problems = check(argv[1])
    if problems:
        print("核验未通过 / NOT VERIFIED")
        for problem in problems:
            print("  - " + problem)
        return 1
    manifest_case = json.load(open(os.path.join(argv[1], "manifest.json"), encoding="utf-8"))
    print("核验通过 / VERIFIED: 案件 %s，%d 个事件，%d 份证据 / case %s, %d events, %d evidence files"
          % (manifest_case["case_id"], len(manifest_case["events"]),
             len(manifest_case.get("evidence", [])), manifest_case["case_id"],
             len(manifest_case["events"]), len(manifest_case.get("evidence", []))))
    print("末端哈希 / head hash: %s" % head)
    print("请与移送函上记载的哈希比对 / compare it with the hash in the transfer letter")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

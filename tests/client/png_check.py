#!/usr/bin/env python3
"""Checks that a screenshot of the monthly report's page shows the page.

  png_check.py SCREENSHOT.png WIDTH HEIGHT

Reads the PNG with the standard library only (zlib for the pixel data, the
filters undone row by row) and fails unless: it is a PNG whose chunks pass
their CRC; its IHDR says WIDTH x HEIGHT, 8-bit RGB or RGBA; the picture is
not blank (many distinct colours, as antialiased text gives; a good share
of the page inked, down into its lower half); and the charts' bar colours
(client/report_html.cc: new cases, closed cases) are there, so the inline
SVG was drawn. Prints what it measured.
"""
import struct
import sys
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The fills of the "new" and "closed" bars in client/report_html.cc.
BAR_COLOURS = {"new cases bar #3b6db3": (0x3B, 0x6D, 0xB3),
               "closed bar #3a9160": (0x3A, 0x91, 0x60)}


def fail(message):
    print("png_check: " + message, file=sys.stderr)
    sys.exit(1)


def read_chunks(data):
    if data[:8] != PNG_SIGNATURE:
        fail("not a PNG: the file does not start with the PNG signature")
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            fail("chunk %r at byte %d fails its CRC" % (kind, pos))
        yield kind, body
        pos += 12 + length
        if kind == b"IEND":
            return
    fail("the PNG ends without an IEND chunk")


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(path):
    """Returns (width, height, channels, rows of bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    chunks = list(read_chunks(data))
    if not chunks or chunks[0][0] != b"IHDR":
        fail("the first chunk is not IHDR")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        fail("expected 8-bit RGB or RGBA without interlacing, got depth %d colour type %d "
             "interlace %d" % (depth, colour, interlace))
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        fail("pixel data is %d bytes, expected %d" % (len(raw), height * (stride + 1)))
    rows = []
    previous = bytearray(stride)
    pos = 0
    for _ in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += stride + 1
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((x + up) & 0xFF for x, up in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                upper_left = previous[i - channels] if i >= channels else 0
                line[i] = (line[i] + paeth(left, previous[i], upper_left)) & 0xFF
        elif kind != 0:
            fail("unknown PNG filter type %d" % kind)
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    if len(sys.argv) != 4:
        fail("usage: png_check.py SCREENSHOT.png WIDTH HEIGHT")
    path, want_width, want_height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    width, height, channels, rows = decode(path)
    if (width, height) != (want_width, want_height):
        fail("the screenshot is %dx%d, expected %dx%d" % (width, height, want_width, want_height))

    colours = {}
    inked = 0
    inked_lower_half = 0
    for y, row in enumerate(rows):
        for x in range(0, len(row), channels):
            pixel = row[x:x + 3]
            colours[pixel] = colours.get(pixel, 0) + 1
            # Neither the white sheet nor the grey desk around it.
            if min(pixel) < 200:
                inked += 1
                if y >= height // 2:
                    inked_lower_half += 1
    total = width * height
    print("png_check: %dx%d, %d distinct colours, %.1f%% inked (%.1f%% of the lower half)"
          % (width, height, len(colours), 100.0 * inked / total,
             200.0 * inked_lower_half / total))
    if len(colours) < 64:
        fail("only %d distinct colours: the page looks blank or was not drawn" % len(colours))
    if inked < total // 50:
        fail("only %.2f%% of the picture is inked: the page looks blank" % (100.0 * inked / total))
    if inked_lower_half < total // 200:
        fail("the lower half of the picture is nearly empty: the page stopped short")
    for name, rgb in BAR_COLOURS.items():
        count = colours.get(bytes(rgb), 0)
        print("png_check: %d pixels of the %s" % (count, name))
        if count < 300:
            fail("the %s is missing (%d pixels): the inline SVG charts were not drawn"
                 % (name, count))


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: BSD-3-Clause
"""tests/e2e/x11-shot.py - what a window shows, from an xwd(1) dump.

usage: python3 x11-shot.py DUMP.xwd OUT.png

Converts the dump (ZPixmap, 24 or 32 bits per pixel, as Xvfb's default
visuals give) to a PNG artefact and prints "size=WxH colours=N": a window
that an application drew shows more than one colour, an empty one (only the
background) shows one.  Uses nothing but the standard library.
"""
import struct
import sys
import zlib


def read_xwd(path):
    data = open(path, "rb").read()
    if len(data) < 100:
        raise ValueError("%s: not an xwd dump (%d bytes)" % (path, len(data)))
    h = struct.unpack(">25I", data[:100])
    header_size, version, fmt = h[0], h[1], h[2]
    width, height = h[4], h[5]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = h[7], h[11], h[12], h[19]
    if version != 7 or fmt != 2 or bits_per_pixel not in (24, 32):
        raise ValueError("%s: xwd version %d format %d at %d bpp is not handled"
                         % (path, version, fmt, bits_per_pixel))
    off = header_size + ncolors * 12
    step = bits_per_pixel // 8
    order = "little" if byte_order == 0 else "big"
    rows = []
    for y in range(height):
        line = data[off + y * bytes_per_line: off + y * bytes_per_line + width * step]
        if len(line) < width * step:
            raise ValueError("%s: truncated at row %d" % (path, y))
        rows.append([int.from_bytes(line[x * step:(x + 1) * step], order) & 0xFFFFFF
                     for x in range(width)])
    return width, height, rows


def write_png(path, width, height, rows):
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    raw = b"".join(b"\0" + b"".join(bytes(((p >> 16) & 255, (p >> 8) & 255, p & 255))
                                    for p in row) for row in rows)
    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    open(path, "wb").write(png)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: x11-shot.py DUMP.xwd OUT.png")
    width, height, rows = read_xwd(sys.argv[1])
    write_png(sys.argv[2], width, height, rows)
    colours = {p for row in rows for p in row}
    print("size=%dx%d colours=%d" % (width, height, len(colours)))


if __name__ == "__main__":
    main()

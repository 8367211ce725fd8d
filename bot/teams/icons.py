"""The Teams app icons, drawn in code so the package is built the same way everywhere.

Teams wants a 192x192 full-colour icon and a 32x32 outline icon that is white on a
transparent background. Both show the same mark: three rising bars (a pipeline moving
forward). PNG is written by hand (zlib and a CRC are all it takes), byte for byte
identical on every run.
"""

from __future__ import annotations

import struct
import zlib

COLOR_SIZE = 192
OUTLINE_SIZE = 32
ACCENT = (0x1F, 0x5F, 0xBF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)

# The bars as fractions of the icon: (left, top, right, bottom); inside Teams' safe area.
BARS = (
    (0.24, 0.56, 0.36, 0.76),
    (0.44, 0.42, 0.56, 0.76),
    (0.64, 0.26, 0.76, 0.76),
)

Pixel = tuple[int, int, int, int]


class Canvas:
    """An RGBA image in memory, enough to draw rectangles."""

    def __init__(self, size: int, background: Pixel) -> None:
        self.size = size
        self.pixels = [[background] * size for _ in range(size)]

    def fill(self, left: int, top: int, right: int, bottom: int, colour: Pixel) -> None:
        for y in range(top, bottom):
            for x in range(left, right):
                self.pixels[y][x] = colour

    def outline(self, left: int, top: int, right: int, bottom: int, colour: Pixel) -> None:
        self.fill(left, top, right, top + 1, colour)
        self.fill(left, bottom - 1, right, bottom, colour)
        self.fill(left, top, left + 1, bottom, colour)
        self.fill(right - 1, top, right, bottom, colour)

    def png(self) -> bytes:
        rows = b"".join(
            b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in self.pixels
        )
        header = struct.pack(">IIBBBBB", self.size, self.size, 8, 6, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows, 9))
            + _chunk(b"IEND", b"")
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bars(size: int) -> list[tuple[int, int, int, int]]:
    return [
        (round(left * size), round(top * size), round(right * size), round(bottom * size))
        for left, top, right, bottom in BARS
    ]


def color_icon() -> bytes:
    """192x192: white bars on the accent colour, edge to edge."""
    canvas = Canvas(COLOR_SIZE, (*ACCENT, 0xFF))
    for bar in _bars(COLOR_SIZE):
        canvas.fill(*bar, WHITE)
    return canvas.png()


def outline_icon() -> bytes:
    """32x32: the bars' white outlines on transparency (Teams tints it)."""
    canvas = Canvas(OUTLINE_SIZE, CLEAR)
    for bar in _bars(OUTLINE_SIZE):
        canvas.outline(*bar, WHITE)
    return canvas.png()


def accent_hex() -> str:
    return "#{:02X}{:02X}{:02X}".format(*ACCENT)

"""A small reader of Mapbox Vector Tiles for the tests: what the viewer's decoder reads
(features, ids, tags, geometry commands), written from the MVT 2.1 specification."""

from __future__ import annotations

import gzip
import struct


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes):
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        elif wire == 1:
            value, pos = data[pos : pos + 8], pos + 8
        else:
            raise ValueError(f"wire type {wire}")
        yield number, value


def _packed(data: bytes) -> list[int]:
    out, pos = [], 0
    while pos < len(data):
        value, pos = _varint(data, pos)
        out.append(value)
    return out


def _value(data: bytes):
    for number, value in _fields(data):
        if number == 1:
            return value.decode()
        if number == 3:
            return struct.unpack("<d", value)[0]
        if number == 5:
            return value
        if number == 6:
            return (value >> 1) ^ -(value & 1)
        if number == 7:
            return bool(value)
    return None


def geometry(commands: list[int]) -> list[list[tuple[int, int]]]:
    """Lines (or rings, or points) as lists of (x, y) in tile units."""
    parts, x, y, i = [], 0, 0, 0
    while i < len(commands):
        command, count = commands[i] & 7, commands[i] >> 3
        i += 1
        if command == 7:
            continue
        for _ in range(count):
            dx, dy = commands[i], commands[i + 1]
            i += 2
            x += (dx >> 1) ^ -(dx & 1)
            y += (dy >> 1) ^ -(dy & 1)
            if command == 1:
                parts.append([])
            parts[-1].append((x, y))
    return parts


def decode(tile: bytes) -> dict:
    """{"name", "extent", "features": [{"id", "type", "tags", "geometry"}]} of its one layer."""
    if tile[:2] == b"\x1f\x8b":
        tile = gzip.decompress(tile)
    layers = [value for number, value in _fields(tile) if number == 3]
    assert len(layers) == 1
    name, extent, keys, values, raw = "", 4096, [], [], []
    for number, value in _fields(layers[0]):
        if number == 1:
            name = value.decode()
        elif number == 2:
            raw.append(value)
        elif number == 3:
            keys.append(value.decode())
        elif number == 4:
            values.append(_value(value))
        elif number == 5:
            extent = value
    features = []
    for data in raw:
        feature = {"id": None, "type": 0, "tags": {}, "geometry": []}
        for number, value in _fields(data):
            if number == 1:
                feature["id"] = value
            elif number == 2:
                tags = _packed(value)
                feature["tags"] = {
                    keys[k]: values[v] for k, v in zip(tags[::2], tags[1::2], strict=False)
                }
            elif number == 3:
                feature["type"] = value
            elif number == 4:
                feature["geometry"] = geometry(_packed(value))
        features.append(feature)
    return {"name": name, "extent": extent, "features": features}

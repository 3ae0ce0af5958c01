"""Parsers of word-vector files: GloVe and word2vec text, word2vec binary, gzipped or not.

They turn a byte stream into words and vectors and report what they skip;
:func:`skltext.embeddings.load_word_vectors` chooses among them and builds
the :class:`~skltext.embeddings.WordVectors`.
"""

import gzip

import numpy as np

__all__ = ["looks_binary", "open_bytes", "parse_header", "prepend", "read_binary", "read_text"]

_GZIP_MAGIC = b"\x1f\x8b"
_BINARY_CHUNK = 1 << 20


def open_bytes(path):
    with open(path, "rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def parse_header(line):
    parts = line.split()
    if len(parts) == 2 and all(part.isdigit() for part in parts):
        return int(parts[0]), int(parts[1])
    return None


def read_text(stream, *, header, dim, wanted, dtype, encoding, errors, limit, path):
    words, rows, skipped = [], [], 0
    for number, raw in enumerate(stream, start=2 if header else 1):
        line = raw.decode(encoding, errors).rstrip("\r\n")
        if not line.strip():
            continue
        parts = line.rstrip().split(" ")
        if dim is None:  # GloVe: the first line fixes the dimension
            dim = len(parts) - 1
            if dim < 1:
                raise ValueError(f"{path}: the first line has no vector values; not a word-vector file.")
        if len(parts) < dim + 1:
            if not rows and not skipped and header:
                raise ValueError(f"{path}: the header says {dim} dimensions, but the first vector (line "
                                 f"{number}) has {len(parts) - 1} values.")
            skipped += 1
            continue
        # Words that contain spaces (some GloVe releases have them): the last dim fields are the vector.
        word = " ".join(parts[:-dim])
        if wanted is not None and not wanted(word):
            continue
        try:
            vector = np.array(parts[-dim:], dtype=dtype)
        except ValueError:
            skipped += 1
            continue
        words.append(word)
        rows.append(vector)
        if limit is not None and len(words) >= limit:
            break
    return words, rows, skipped, dim


def read_binary(stream, *, count, dim, wanted, dtype, encoding, errors, limit, path):
    words, rows = [], []
    width = 4 * dim
    buffer = bytearray(stream.read(_BINARY_CHUNK))
    position = 0
    for entry in range(count):
        while True:
            space = buffer.find(b" ", position)
            if space >= 0 and len(buffer) >= space + 1 + width:
                break
            more = stream.read(_BINARY_CHUNK)
            if not more:
                raise ValueError(f"{path}: the header announces {count} vectors, but the file ends after "
                                 f"{entry}; the file is truncated or its dimension is not {dim}.")
            del buffer[:position]
            position = 0
            buffer += more
        # The original C tool writes a newline after each vector; gensim does not.
        word = bytes(buffer[position:space]).lstrip(b"\n").decode(encoding, errors)
        start = space + 1
        position = start + width
        if wanted is not None and not wanted(word):
            continue
        words.append(word)
        rows.append(np.frombuffer(bytes(buffer[start:position]), dtype="<f4").astype(dtype))
        if limit is not None and len(words) >= limit:
            break
    return words, rows


def looks_binary(stream, dim):
    """Whether the bytes after a word2vec header are binary vectors rather than text lines."""
    sample = stream.peek(4 * dim + 256)[: 4 * dim + 256] if hasattr(stream, "peek") else b""
    if b"\n" not in sample:  # a long first line: text files at least decode
        try:
            sample[:-4].decode("utf-8")  # the sample may end inside a character
        except UnicodeDecodeError:
            return True
        return False
    line = sample.split(b"\n", 1)[0]
    try:
        fields = line.decode("utf-8").split()
        # A text line: a word then numbers (how many is checked while reading).
        np.array(fields[1:], dtype=np.float64)
    except (UnicodeDecodeError, ValueError):
        return True
    return len(fields) < 2


def prepend(first_line, stream):
    """Iterate lines: ``first_line`` then the rest of ``stream``."""
    yield first_line
    yield from stream

"""Turning many documents into integer token codes at once.

The default token pattern (maximal runs of word characters) has a fast path
on Arrow's compiled string kernels, so that no Python string is created per
token: the documents are copied into one Arrow buffer, every ASCII non-word
byte becomes a space (and, when lowercasing ASCII text, every capital its
small letter) in one ``bytes.translate`` pass, Arrow splits the buffer at
spaces and hashes the pieces into distinct types, and only the distinct types
are looked up in Python. A piece that still holds non-ASCII characters is cut
into its word runs with ``re`` (non-ASCII punctuation, spaces, marks), so the
tokens are exactly those of ``re.findall`` on each document. Chunks of
documents are split in parallel threads, since Arrow's kernels release the
GIL. Other patterns and tokenizer callables, and inputs too small to repay
Arrow's fixed cost, take the per-document path.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from itertools import chain, compress, pairwise

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["DEFAULT_TOKEN_PATTERN", "encode_corpus"]

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w+\b"
# Patterns whose matches are exactly the maximal runs of \w characters.
_WORD_RUN_PATTERNS = {DEFAULT_TOKEN_PATTERN, r"(?u)\w+", r"\w+", r"\b\w+\b"}
_WORD_RUN = re.compile(r"\w+")
# Characters per chunk of documents: bounds the memory of the intermediate arrays on
# large corpora, and gives the threads equal shares of work.
_CHUNK_CHARACTERS = 4_000_000
# Below this many characters (about 50 documents of a few sentences) Arrow's fixed cost per
# call is more than it saves, and re is faster: it keeps single-document predictions quick.
_ARROW_MIN_CHARACTERS = 10_000

_SPACE = ord(" ")
_IS_WORD_BYTE = [bool(_WORD_RUN.fullmatch(chr(code))) for code in range(128)]
# Byte tables for bytes.translate: ASCII non-word bytes become spaces, bytes >= 128
# (parts of UTF-8 sequences) are kept.
_WORD_BYTES = bytes([code if code >= 128 or _IS_WORD_BYTE[code] else _SPACE for code in range(256)])
_LOWER_WORD_BYTES = _WORD_BYTES.lower()


def uses_fast_path(token_pattern, tokenizer):
    """Whether the documents are split with the Arrow word-run path."""
    return tokenizer is None and token_pattern in _WORD_RUN_PATTERNS


def _ragged_offsets(counts):
    """Position of every element within its group, for groups of ``counts`` elements."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _chunks(documents, ends):
    """Cut the documents into consecutive chunks of about _CHUNK_CHARACTERS characters.

    ``ends`` holds the running total of characters after each document.
    """
    if not documents:
        return []
    n_chunks = max(1, -(-int(ends[-1]) // _CHUNK_CHARACTERS))
    cuts = np.searchsorted(ends, np.arange(1, n_chunks) * (int(ends[-1]) / n_chunks))
    bounds = np.unique(np.concatenate([[0], cuts + 1, [len(documents)]])).tolist()
    return [documents[start:end] for start, end in pairwise(bounds)]


def encode_corpus(documents, code_of, *, lowercase, token_pattern, tokenizer):
    """Integer codes of the tokens of all documents, and tokens per document.

    Parameters
    ----------
    documents : list of str
    code_of : callable
        Maps a token to its int code. On the fast path it is called once per
        distinct token of a chunk, not once per occurrence.
    lowercase : bool
    token_pattern : str
    tokenizer : callable or None

    Returns
    -------
    codes : ndarray of int32
        The codes of all tokens, document after document.
    lengths : ndarray of int64
        Tokens per document.
    """
    ends = np.cumsum(np.fromiter(map(len, documents), dtype=np.int64, count=len(documents)))
    chunks = _chunks(documents, ends)
    n_characters = int(ends[-1]) if len(ends) else 0
    if uses_fast_path(token_pattern, tokenizer) and n_characters >= _ARROW_MIN_CHARACTERS:
        encoded = _encode_word_runs(chunks, code_of, lowercase)
    else:
        split = tokenizer if tokenizer is not None else re.compile(token_pattern).findall
        encoded = [_encode_per_document(chunk, code_of, lowercase, split) for chunk in chunks]
    if not encoded:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    return (np.concatenate([codes for codes, _ in encoded]),
            np.concatenate([lengths for _, lengths in encoded]))


def _encode_per_document(documents, code_of, lowercase, split):
    tokenized = [split(doc.lower() if lowercase else doc) for doc in documents]
    lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=len(tokenized))
    # A C-level callable through map: no Python bytecode runs per token.
    codes = np.fromiter(map(code_of, chain.from_iterable(tokenized)), dtype=np.int32, count=int(lengths.sum()))
    return codes, lengths


def _encode_word_runs(chunks, code_of, lowercase):
    """Encode chunks of documents on the Arrow path, one chunk per core at a time.

    Arrow's kernels release the GIL, so chunks are split in worker threads
    (as many as Arrow's own pool: ``pyarrow.set_cpu_count`` limits both); the
    codes are handed out here, in document order.
    """
    split = partial(_split_into_pieces, lowercase=lowercase)

    def encode(chunk, pieces):
        if pieces is None:
            return _encode_per_document(chunk, code_of, lowercase, _WORD_RUN.findall)
        return _pieces_to_codes(*pieces, code_of)

    n_threads = min(pa.cpu_count(), len(chunks))
    if n_threads <= 1:
        return list(map(encode, chunks, map(split, chunks)))
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        return list(map(encode, chunks, pool.map(split, chunks)))


def _split_into_pieces(documents, lowercase):
    """Split documents at ASCII non-word characters and hash the pieces.

    Returns
    -------
    piece_codes : ndarray of int32
        Index into ``piece_types`` of every piece, document after document.
    pieces_per_document : ndarray of int64
    piece_types : list of str
        The distinct pieces.

    None when a document has no UTF-8 form (lone surrogates); ``re`` handles those.
    """
    if lowercase and not all(map(str.isascii, documents)):  # isascii reads a flag: no scan
        # str.lower knows every script (and can change lengths); the byte table only knows ASCII.
        documents = [doc.lower() for doc in documents]
    try:
        text = pa.array(documents, type=pa.large_string())
    except UnicodeEncodeError:
        return None
    _, offsets, data = text.buffers()
    table = _LOWER_WORD_BYTES if lowercase else _WORD_BYTES
    data = pa.py_buffer(b"" if data is None else data.to_pybytes().translate(table))
    spaced = pa.LargeStringArray.from_buffers(len(text), offsets, data)
    # Trimming first leaves an empty piece only for a document without any token.
    pieces = pc.ascii_split_whitespace(pc.ascii_trim_whitespace(spaced))
    pieces_per_document = pc.list_value_length(pieces).to_numpy(zero_copy_only=False).astype(np.int64)
    encoded = pc.dictionary_encode(pc.list_flatten(pieces))
    return (encoded.indices.to_numpy(zero_copy_only=False), pieces_per_document,
            encoded.dictionary.to_pylist())


def _pieces_to_codes(piece_codes, pieces_per_document, piece_types, code_of):
    """Replace every piece by the codes of its tokens.

    A non-empty ASCII piece is one token. The empty piece (a document without
    tokens) has none, and a non-ASCII piece holds the word runs between its
    non-word characters (dashes, curly quotes, ...): zero, one or several.
    """
    # Listed without building an object per piece: allocations here set off the
    # garbage collector, which then walks every live object (seconds on large corpora).
    unusual = [code for code, piece in enumerate(piece_types) if not (piece and piece.isascii())]
    if not unusual:
        token_codes = np.fromiter(map(code_of, piece_types), dtype=np.int32, count=len(piece_types))
        return token_codes[piece_codes], pieces_per_document
    words = [_WORD_RUN.findall(piece_types[code]) for code in unusual]
    is_usual = np.ones(len(piece_types), dtype=bool)
    is_usual[unusual] = False
    n_tokens = np.ones(len(piece_types), dtype=np.int64)
    n_tokens[unusual] = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    # The usual pieces' codes come first, then the tokens of the unusual pieces in order.
    n_usual = int(is_usual.sum())
    first_token = np.empty(len(piece_types), dtype=np.int64)
    first_token[is_usual] = np.arange(n_usual)
    first_token[unusual] = n_usual + np.cumsum(n_tokens[unusual]) - n_tokens[unusual]
    tokens = chain(compress(piece_types, is_usual.tolist()), chain.from_iterable(words))
    token_codes = np.fromiter(map(code_of, tokens), dtype=np.int32, count=n_usual + int(n_tokens[unusual].sum()))

    tokens_per_piece = n_tokens[piece_codes]
    codes = token_codes[np.repeat(first_token[piece_codes], tokens_per_piece) + _ragged_offsets(tokens_per_piece)]
    tokens_before = np.concatenate([[0], np.cumsum(tokens_per_piece)])
    ends = np.cumsum(pieces_per_document)
    return codes, tokens_before[ends] - tokens_before[ends - pieces_per_document]

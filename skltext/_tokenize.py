"""Splitting many documents into tokens at once.

The default token pattern (runs of word characters) has a fast path: the
documents are joined into one string, every non-word character is turned
into a space with ``str.translate`` and the result is cut with ``str.split``,
all in C. That is several times faster than one ``re.findall`` per document
and gives exactly the same tokens. Other patterns and callables take the
per-document path.
"""

import re
from itertools import chain

import numpy as np

__all__ = ["DEFAULT_TOKEN_PATTERN", "DOC_BREAK", "uses_fast_path", "split_corpus"]

DEFAULT_TOKEN_PATTERN = r"(?u)\b\w+\b"
# Patterns whose matches are exactly the maximal runs of \w characters.
_WORD_RUN_PATTERNS = {DEFAULT_TOKEN_PATTERN, r"(?u)\w+", r"\w+", r"\b\w+\b"}

# Separates documents in the joined string; never a word character, so never part of a token.
DOC_BREAK = "\x00"
_WORD_CHAR = re.compile(r"\w")
# One character to one character, so CPython takes its fast ASCII translate path.
_ASCII_TO_SPACE = {code: " " for code in range(128) if not _WORD_CHAR.match(chr(code)) and chr(code) != DOC_BREAK}


def uses_fast_path(token_pattern, tokenizer):
    """Whether ``split_corpus`` may return documents separated by DOC_BREAK tokens."""
    return tokenizer is None and token_pattern in _WORD_RUN_PATTERNS


def _split_word_runs(text):
    tokens = text.translate(_ASCII_TO_SPACE).split()
    if text.isascii():
        return tokens
    # Non-ASCII characters outside \w (dashes, curly quotes, emoji) are still glued to
    # tokens. Find them among the distinct tokens, then split once more without them.
    glue = {
        char
        for token in set(tokens)
        if not token.isascii()
        for char in token
        if not _WORD_CHAR.match(char)
    }
    if not glue:
        return tokens
    table = {**_ASCII_TO_SPACE, **{ord(char): " " for char in glue}}
    return text.translate(table).split()


def split_corpus(documents, *, lowercase, token_pattern, tokenizer):
    """Tokenize documents into one flat list.

    Parameters
    ----------
    documents : list of str
    lowercase : bool
    token_pattern : str
    tokenizer : callable or None

    Returns
    -------
    tokens : list
        The tokens of all documents, in order.
    lengths : ndarray of int or None
        Tokens per document; None when ``tokens`` instead separates documents
        with ``DOC_BREAK`` entries (the fast path).
    """
    if uses_fast_path(token_pattern, tokenizer):
        # Spaces around the break keep it a token of its own after str.split.
        text = f" {DOC_BREAK} ".join(documents)
        if text.count(DOC_BREAK) == len(documents) - 1:  # no document contains DOC_BREAK itself
            return _split_word_runs(text.lower() if lowercase else text), None
    split = tokenizer if tokenizer is not None else re.compile(token_pattern).findall
    tokenized = [split(doc.lower() if lowercase else doc) for doc in documents]
    lengths = np.fromiter(map(len, tokenized), dtype=np.int64, count=len(tokenized))
    return list(chain.from_iterable(tokenized)), lengths

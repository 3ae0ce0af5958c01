"""Pre-trained word vectors: read GloVe and word2vec files, or train word2vec in-domain.

:func:`load_word_vectors` streams the standard file formats into a
:class:`WordVectors` object, optionally keeping only the words of a corpus
vocabulary. :func:`train_word_vectors` learns vectors from unlabeled text
with gensim's word2vec (the optional ``word2vec`` extra), tokenized exactly
as :class:`~skltext.TextTokenizer` does so the words match. Pass the result
to ``CNNClassifier(embeddings=...)`` or ``LSTMClassifier(embeddings=...)``.
"""

import gzip
import io
import warnings
import zlib
from collections import Counter, namedtuple
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from sklearn.utils import check_random_state

from ._vector_files import looks_binary, open_bytes, parse_header, prepend, read_binary, read_text
from .text import TextTokenizer, check_documents

__all__ = ["WordVectors", "VocabularyCoverage", "load_word_vectors", "train_word_vectors"]


VocabularyCoverage = namedtuple("VocabularyCoverage", ["token_share", "type_share", "n_tokens", "n_types", "missing"])
VocabularyCoverage.__doc__ = """Share of a corpus's tokens and distinct words (types) that have a vector.

``missing`` lists the words without a vector, most frequent first.

Examples
--------
>>> from skltext.embeddings import WordVectors
>>> vectors = WordVectors(["cat", "sat"], [[0.1, 0.2], [0.3, 0.4]])
>>> coverage = vectors.coverage(["the cat sat", "the cat"])
>>> round(coverage.token_share, 2), coverage.missing
(0.6, ['the'])
"""


class WordVectors:
    """A read-only table of word vectors.

    Parameters
    ----------
    words : sequence of str
        The words, one per row of ``vectors``; duplicates keep their first row.
    vectors : array-like of shape (n_words, dim)
        The vectors.

    Attributes
    ----------
    words : list of str
        The words, in row order.
    vectors : ndarray of shape (n_words, dim)
        The vectors (read-only).
    dim : int
        Number of dimensions; ``vector_size`` is the same.
    index : dict of str to int
        Row of each word.
    n_skipped : int
        Lines of the source file skipped as malformed (0 when not read from a file).

    See Also
    --------
    load_word_vectors : Read GloVe or word2vec files.
    train_word_vectors : Learn vectors from unlabeled text.

    Examples
    --------
    >>> import numpy as np
    >>> from skltext.embeddings import WordVectors
    >>> wv = WordVectors(["good", "bad"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> len(wv), wv.dim, "good" in wv
    (2, 2, True)
    >>> wv.coverage(["good movie", "bad bad film"]).token_share
    0.6
    """

    def __init__(self, words, vectors, *, n_skipped=0):
        words = [str(word) for word in words]
        vectors = np.array(vectors, copy=True)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(f"vectors must have shape (len(words), dim) = ({len(words)}, dim), "
                             f"got {vectors.shape}.")
        if vectors.dtype.kind != "f":
            vectors = vectors.astype(np.float32)
        if not np.isfinite(vectors).all():
            raise ValueError("vectors contain NaN or infinite values.")
        index = {}
        for row, word in enumerate(words):
            index.setdefault(word, row)
        if len(index) < len(words):  # keep the first row of a repeated word
            rows = sorted(index.values())
            words, vectors = [words[row] for row in rows], vectors[rows]
            index = {word: row for row, word in enumerate(words)}
        vectors.flags.writeable = False
        self.words = words
        self.vectors = vectors
        self.index = index
        self.n_skipped = int(n_skipped)
        self._lower_index = None

    @property
    def dim(self):
        return self.vectors.shape[1]

    vector_size = dim

    def __len__(self):
        return len(self.words)

    def __contains__(self, word):
        return word in self.index

    def __getitem__(self, word):
        return self.vectors[self.index[word]]

    def __repr__(self):
        return f"WordVectors(n_words={len(self)}, dim={self.dim})"

    def __deepcopy__(self, memo):
        # Read-only, so sklearn.base.clone can share it between folds instead of copying the matrix.
        return self

    def rows_of(self, words):
        """Row of each word in ``vectors``, -1 for words without a vector.

        A word without an exact entry falls back to a case-insensitive match
        (the most frequent casing, i.e. the first in the file), so lowercased
        tokens still find vectors of files that keep case.

        Parameters
        ----------
        words : iterable of str

        Returns
        -------
        rows : ndarray of int64
        """
        if self._lower_index is None:
            lower = {}
            for word, row in self.index.items():
                lower.setdefault(word.lower(), row)
            self._lower_index = lower
        index, lower = self.index, self._lower_index
        return np.fromiter((index.get(word, lower.get(word.lower(), -1)) for word in words), dtype=np.int64)

    def coverage(self, X, *, tokenizer=None):
        """Share of the tokens and of the distinct words of a corpus that have a vector.

        Parameters
        ----------
        X : iterable of str, mapping of str to int, or fitted TextTokenizer
            Documents (tokenized like ``tokenizer``), a word-to-count mapping,
            or a fitted :class:`~skltext.TextTokenizer` (its training counts).
        tokenizer : TextTokenizer, default=None
            Tokenization settings for documents; None uses the defaults.

        Returns
        -------
        coverage : VocabularyCoverage
            ``token_share``, ``type_share``, ``n_tokens``, ``n_types`` and the
            ``missing`` words, most frequent first.
        """
        counts = _word_counts(X, tokenizer)
        words = list(counts)
        found = self.rows_of(words) >= 0
        frequency = np.fromiter(counts.values(), dtype=np.float64, count=len(words))
        n_tokens = float(frequency.sum())
        missing = sorted((word for word, hit in zip(words, found) if not hit), key=lambda w: (-counts[w], w))
        return VocabularyCoverage(
            token_share=float(frequency[found].sum() / n_tokens) if n_tokens else 0.0,
            type_share=float(found.mean()) if words else 0.0,
            n_tokens=int(n_tokens), n_types=len(words), missing=missing,
        )

    def save(self, path, *, binary=False):
        """Write the vectors in word2vec format (a "count dim" header line).

        Parameters
        ----------
        path : str or path-like
            Destination; a name ending in ``.gz`` is gzip-compressed.
        binary : bool, default=False
            Write word2vec binary (float32) instead of text.
        """
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "wb") as out:
            out.write(f"{len(self)} {self.dim}\n".encode())
            for word, vector in zip(self.words, self.vectors):
                if binary:
                    out.write(word.encode() + b" " + vector.astype("<f4").tobytes() + b"\n")
                else:
                    out.write((word + " " + " ".join(repr(float(v)) for v in vector) + "\n").encode())


def _word_counts(X, tokenizer):
    if isinstance(X, TextTokenizer):
        if not hasattr(X, "token_counts_"):
            raise ValueError("coverage needs a fitted TextTokenizer (call fit first).")
        return dict(X.token_counts_)
    if isinstance(X, Mapping):
        return dict(X)
    return Counter(word for document in tokenize_documents(X, tokenizer) for word in document)


def tokenize_documents(documents, tokenizer=None):
    """Split documents into token lists exactly as ``tokenizer`` (a TextTokenizer) would.

    Parameters
    ----------
    documents : iterable of str
    tokenizer : TextTokenizer, default=None
        Its ``lowercase``, ``token_pattern`` and ``tokenizer`` settings are
        used; None uses the defaults.

    Returns
    -------
    tokens : list of list of str
    """
    tokenizer = TextTokenizer() if tokenizer is None else tokenizer
    return tokenizer.tokenize(check_documents(documents, name="tokenize_documents"))


# ------------------------------------------------------------------ reading


def _wanted(vocabulary):
    """A predicate on words: kept when the word, or its lowercase form, is in the vocabulary."""
    if vocabulary is None:
        return None
    if isinstance(vocabulary, TextTokenizer):
        vocabulary = vocabulary.vocabulary_
    words = set(vocabulary)
    return lambda word: word in words or word.lower() in words


def load_word_vectors(path, *, vocabulary=None, dtype=np.float32, binary=None, encoding="utf-8",
                      errors="replace", limit=None):
    """Read word vectors from a GloVe, word2vec/fastText text or word2vec binary file.

    The file is streamed, so with ``vocabulary`` only the rows of those words
    are held in memory: a 400,000 x 300 GloVe file read for a corpus of 20,000
    words takes about 24 MB instead of 480 MB. Gzip-compressed files are
    recognised by their content.

    Parameters
    ----------
    path : str or path-like
        GloVe text (``word v1 v2 ...`` lines, no header), word2vec or fastText
        ``.vec`` text (a ``count dim`` header line first) or word2vec binary
        (the same header, then each word, a space and ``dim`` float32 values).
    vocabulary : iterable of str, mapping or fitted TextTokenizer, default=None
        Keep only these words (a word is also kept when its lowercase form is
        in the vocabulary, so case-preserving files serve lowercased tokens).
        None keeps every word.
    dtype : numpy dtype, default=np.float32
        Type of the returned matrix.
    binary : bool, default=None
        Whether the file is word2vec binary. None decides from the name
        (``.bin``, before any ``.gz``) and, for files with a header, from the
        bytes after it.
    encoding : str, default='utf-8'
        Encoding of the words.
    errors : str, default='replace'
        How undecodable bytes in words are handled, as in :meth:`bytes.decode`.
    limit : int, default=None
        Read at most this many vectors (files are usually sorted by frequency).

    Returns
    -------
    vectors : WordVectors
        ``n_skipped`` counts the text lines skipped as malformed (too few
        values or values that are not numbers); a warning says how many.

    Raises
    ------
    ValueError
        If the file is empty, holds no vector, or its dimensions disagree:
        the header's dimension differs from the first vector's, or a binary
        file is shorter than its header says.

    Examples
    --------
    >>> import os, tempfile
    >>> from skltext.embeddings import load_word_vectors
    >>> path = os.path.join(tempfile.mkdtemp(), "glove.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("the 0.1 0.2 0.3\\ncat 0.4 0.5 0.6\\ndog 0.7 0.8 0.9\\n")
    >>> wv = load_word_vectors(path, vocabulary=["cat", "dog", "bird"])
    >>> wv.words, wv.dim
    (['cat', 'dog'], 3)
    """
    path = Path(path)
    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    wanted = _wanted(vocabulary)
    with open_bytes(path) as raw_stream:
        stream = io.BufferedReader(raw_stream) if not hasattr(raw_stream, "peek") else raw_stream
        first = stream.readline()
        if not first.strip():
            raise ValueError(f"{path} is empty (no word vectors in it).")
        header = parse_header(first.decode("ascii", "replace"))
        if header is None:  # GloVe: the first line is already a vector
            if binary:
                raise ValueError(f"{path}: binary word2vec files start with a 'count dim' header line.")
            stream = prepend(first, stream)
            words, rows, skipped, dim = read_text(stream, header=False, dim=None, wanted=wanted, dtype=dtype,
                                                   encoding=encoding, errors=errors, limit=limit, path=path)
        else:
            count, dim = header
            if dim < 1:
                raise ValueError(f"{path}: the header announces {dim} dimensions.")
            if binary is None:
                binary = name.endswith(".bin") or looks_binary(stream, dim)
            if binary:
                skipped = 0
                words, rows = read_binary(stream, count=count, dim=dim, wanted=wanted, dtype=dtype,
                                           encoding=encoding, errors=errors, limit=limit, path=path)
            else:
                words, rows, skipped, dim = read_text(stream, header=True, dim=dim, wanted=wanted, dtype=dtype,
                                                       encoding=encoding, errors=errors, limit=limit, path=path)
    if skipped:
        warnings.warn(f"{path}: skipped {skipped} malformed line(s) (too few values or values that are not "
                      "numbers).", UserWarning, stacklevel=2)
    if not rows and wanted is None:
        raise ValueError(f"{path} holds no valid word vector.")
    matrix = np.vstack(rows) if rows else np.zeros((0, dim), dtype=dtype)
    return WordVectors(words, matrix, n_skipped=skipped)


# ------------------------------------------------------------------ training


def _stable_hash(text):
    # gensim seeds each word's initial vector with hash(word + seed); Python's str hash
    # changes between processes, so a fixed random_state would not give fixed vectors.
    return zlib.crc32(text.encode("utf-8"))


def train_word_vectors(texts, *, vector_size=100, window=5, min_count=2, epochs=10, skipgram=True,
                       workers=1, random_state=None, tokenizer=None, **word2vec_params):
    """Learn word vectors from unlabeled text with word2vec (gensim).

    Useful where GloVe or word2vec downloads are not available, or the domain
    is far from web text. Inside cross-validation train on the training
    fold's texts only, or the held-out texts leak into the features.

    Parameters
    ----------
    texts : iterable of str
        Unlabeled documents.
    vector_size : int, default=100
        Dimensions of the vectors.
    window : int, default=5
        Context words on each side.
    min_count : int, default=2
        Ignore words seen fewer times; the models give those small random
        vectors.
    epochs : int, default=10
        Passes over the texts (more than gensim's 5: in-domain corpora are small).
    skipgram : bool, default=True
        Skip-gram (better for rare words and small corpora) rather than CBOW.
    workers : int, default=1
        Training threads; more than one makes the result not reproducible.
    random_state : int, default=None
        Seed; with ``workers=1`` the vectors are the same on every run.
    tokenizer : TextTokenizer, default=None
        Whose ``lowercase``, ``token_pattern`` and ``tokenizer`` settings
        split the texts, so the words match the model's tokens. None uses the
        :class:`~skltext.TextTokenizer` defaults.
    **word2vec_params
        Further arguments of ``gensim.models.Word2Vec`` (e.g. ``negative``,
        ``sample``).

    Returns
    -------
    vectors : WordVectors

    Raises
    ------
    ImportError
        If gensim is not installed (``pip install "skltext[word2vec]"``).

    Examples
    --------
    >>> from skltext.embeddings import train_word_vectors
    >>> texts = ["the cat sat on the mat", "the dog sat on the rug"] * 20
    >>> wv = train_word_vectors(texts, vector_size=8, epochs=2, random_state=0)
    >>> wv.dim, "cat" in wv
    (8, True)
    """
    try:
        from gensim.models import Word2Vec
    except ImportError:
        raise ImportError('train_word_vectors needs gensim: pip install "skltext[word2vec]"') from None
    sentences = [document for document in tokenize_documents(texts, tokenizer) if document]
    if not sentences:
        raise ValueError("train_word_vectors needs at least one document with a token.")
    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    model = Word2Vec(vector_size=vector_size, window=window, min_count=min_count, epochs=epochs,
                     sg=int(skipgram), workers=workers, seed=seed, hashfxn=_stable_hash, **word2vec_params)
    model.build_vocab(sentences)
    if not len(model.wv):
        raise ValueError(f"No word occurs at least min_count={min_count} times; lower min_count.")
    model.train(sentences, total_examples=len(sentences), epochs=epochs)
    return WordVectors(list(model.wv.index_to_key), model.wv.vectors)

"""Turn raw documents into padded matrices of integer token ids."""

import re
from collections import defaultdict
from itertools import count
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from sklearn_compat.base import _fit_context

from ._tokenize import DEFAULT_TOKEN_PATTERN, encode_corpus
from ._vocabulary import OOV_ID, OOV_TOKEN, PAD_ID, PAD_TOKEN, oov_id_factory, rank_vocabulary

__all__ = ["TextTokenizer", "check_documents", "PAD_ID", "OOV_ID"]


# 'auto' max_len covers this share of the training documents without truncation.
_AUTO_MAX_LEN_QUANTILE = 95




def _as_token_strings(types, known):
    """The distinct tokens as ``output='tokens'`` shows them: '[UNK]' where not ``known``."""
    strings = np.fromiter(types, dtype=object, count=len(types))  # tuples stay single entries
    strings[~known] = OOV_TOKEN
    return strings


def _kept_tokens(lengths, kept, *, keep_last):
    """Mask of the flat tokens that survive truncating each document to ``kept`` tokens."""
    ends = np.cumsum(lengths)
    starts = ends - lengths
    drop_from, drop_to = (starts, ends - kept) if keep_last else (starts + kept, ends)
    # +1 where a dropped run starts, -1 where it ends: the running sum is 1 inside runs.
    marks = np.zeros(int(ends[-1]) + 1, dtype=np.int8)
    np.add.at(marks, drop_from, 1)
    np.add.at(marks, drop_to, -1)
    return np.cumsum(marks[:-1], dtype=np.int8) == 0


def check_documents(X, *, name="TextTokenizer"):
    """Validate a collection of raw text documents and return it as a list of str.

    Parameters
    ----------
    X : list, tuple, 1-D ndarray or pandas Series of str
        The documents.
    name : str, default='TextTokenizer'
        Name used in error messages.

    Returns
    -------
    documents : list of str

    Raises
    ------
    TypeError
        If ``X`` is a single string, or a document is not a ``str``.
    ValueError
        If ``X`` is not one-dimensional.

    Examples
    --------
    >>> from skltext.text import check_documents
    >>> check_documents(("a b", "c"))
    ['a b', 'c']
    """
    if isinstance(X, (str, bytes)):
        raise TypeError(
            f"{name} expects an iterable of str documents, got a single "
            f"{type(X).__name__}. Wrap it in a list: [text]."
        )
    if hasattr(X, "shape") and len(X.shape) != 1:
        raise ValueError(
            f"{name} expects a 1-D collection of documents, got an array of shape "
            f"{X.shape}. Select the text column, e.g. df['text'] or X[:, 0]."
        )
    if hasattr(X, "to_numpy"):  # pandas Series: positional access, no index surprises
        X = X.to_numpy()
    try:
        documents = list(X)
    except TypeError:
        raise TypeError(
            f"{name} expects an iterable of str documents, got {type(X).__name__}."
        ) from None
    if not set(map(type, documents)) <= {str}:  # one C-level pass
        for index, doc in enumerate(documents):
            if not isinstance(doc, str):
                raise TypeError(_bad_document_message(name, index, doc))
        documents = [str(doc) for doc in documents]  # str subclasses, e.g. numpy.str_
    return documents


def _bad_document_message(name, index, doc):
    if doc is None or (isinstance(doc, float) and np.isnan(doc)):
        hint = "a missing value; fill missing text first, e.g. with .fillna('')"
    elif isinstance(doc, (bytes, bytearray)):
        hint = "bytes; decode it first, e.g. doc.decode('utf-8')"
    else:
        hint = f"of type {type(doc).__name__}; convert documents to str first"
    return f"{name} expects str documents, but document {index} is {hint}."


class TextTokenizer(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Turn raw documents into a padded matrix of integer token ids.

    The vocabulary is learnt in ``fit`` from the training documents only, so
    inside a :class:`~sklearn.pipeline.Pipeline` every cross-validation fold
    gets its own vocabulary and nothing leaks from the held-out documents.

    Id 0 is padding, id 1 stands for any out-of-vocabulary token and real
    tokens get ids from 2, most frequent first.

    Parameters
    ----------
    max_words : int, default=None
        Keep only the ``max_words`` most frequent tokens (ties broken
        alphabetically). None keeps every token seen at least ``min_count``
        times.
    min_count : int, default=1
        Drop tokens seen fewer than ``min_count`` times in the training data.
    max_len : int or 'auto', default='auto'
        Number of columns of the output. 'auto' takes the 95th percentile of
        the training document lengths, so a few very long documents do not
        make every row mostly padding.
    lowercase : bool, default=True
        Lowercase documents before tokenizing.
    token_pattern : str, default=r"(?u)\\b\\w+\\b"
        Regular expression whose matches are the tokens. Ignored when
        ``tokenizer`` is given. The default (and ``r"\\w+"``, which matches
        the same runs of word characters) is applied with pyarrow's compiled
        string kernels; any other pattern runs ``re`` document by document,
        several times slower on large corpora.
    tokenizer : callable, default=None
        Function from a (lowercased, if ``lowercase``) document to its list of
        tokens; overrides ``token_pattern``. Use a module-level function so the
        fitted tokenizer can be pickled.
    padding : {'pre', 'post'}, default='pre'
        Where short documents are padded. Pre-padding puts the real tokens
        last, next to the final state that a recurrent layer outputs.
    truncating : {'pre', 'post'}, default='post'
        Where long documents are cut. 'post' keeps the beginning of each
        document, which usually carries the subject.
    output : {'ids', 'tokens'}, default='ids'
        What :meth:`transform` returns: the integer id matrix, or a matrix of
        the same shape holding the token strings themselves ('' for padding,
        '[UNK]' for tokens outside the fitted vocabulary, so ``max_words``
        and ``min_count`` apply as with ids). Models given pre-trained word
        vectors (``embeddings=``) need the words: they fit their own
        vocabulary from these tokens in each fit, and the words survive
        resamplers and cross-validation indexing between the two steps.

    Attributes
    ----------
    vocabulary_ : dict of str to int
        Token to id, ids from 2.
    max_len_ : int
        Number of columns of the output (``max_len`` resolved).
    token_counts_ : dict of str to int
        Training frequency of each kept token.

    See Also
    --------
    sklearn.feature_extraction.text.CountVectorizer : Bag-of-words counts.

    Examples
    --------
    >>> from skltext import TextTokenizer
    >>> tokenizer = TextTokenizer(max_len=4).fit(["the cat sat", "the dog"])
    >>> tokenizer.transform(["the cat", "a dog barked loudly today"])
    array([[0, 0, 2, 3],
           [1, 4, 1, 1]], dtype=int32)
    >>> tokenizer.inverse_transform([[0, 0, 2, 3]])
    [['the', 'cat']]
    >>> tokenizer.set_params(output="tokens").transform(["the cat", "a dog"])
    array([['', '', 'the', 'cat'],
           ['', '', '[UNK]', 'dog']], dtype=object)
    """

    _parameter_constraints = {
        "max_words": [Interval(Integral, 1, None, closed="left"), None],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "max_len": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "lowercase": ["boolean"],
        "token_pattern": [str],
        "tokenizer": [callable, None],
        "padding": [StrOptions({"pre", "post"})],
        "truncating": [StrOptions({"pre", "post"})],
        "output": [StrOptions({"ids", "tokens"})],
    }

    def __init__(
        self,
        *,
        max_words=None,
        min_count=1,
        max_len="auto",
        lowercase=True,
        token_pattern=DEFAULT_TOKEN_PATTERN,
        tokenizer=None,
        padding="pre",
        truncating="post",
        output="ids",
    ):
        self.max_words = max_words
        self.min_count = min_count
        self.max_len = max_len
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.tokenizer = tokenizer
        self.padding = padding
        self.truncating = truncating
        self.output = output

    def _encode_corpus(self, documents, code_of):
        """Flat token codes of all documents (via ``code_of``) and tokens per document."""
        if self.tokenizer is None:
            try:
                re.compile(self.token_pattern)
            except re.error as exc:
                raise ValueError(f"token_pattern {self.token_pattern!r} is not a valid regex: {exc}") from None
        return encode_corpus(documents, code_of, lowercase=self.lowercase, token_pattern=self.token_pattern,
                             tokenizer=self.tokenizer)

    def _split(self, documents):
        """Split documents: codes of all their tokens, tokens per document, distinct tokens.

        A token's code is its index in the distinct tokens, which are listed in
        order of first appearance.
        """
        # A missing key calls the counter, which hands out the next code: one C-level pass.
        codes_of = defaultdict(count().__next__)
        codes, lengths = self._encode_corpus(documents, codes_of.__getitem__)
        return codes, lengths, list(codes_of)

    def tokenize(self, X):
        """Split documents into the tokens that :meth:`fit` and :meth:`transform` see.

        Only ``lowercase``, ``token_pattern`` and ``tokenizer`` apply: no
        vocabulary, padding or truncation. Word vectors trained on these lists
        (see :func:`~skltext.embeddings.train_word_vectors`) match the words
        the models are given.

        Parameters
        ----------
        X : iterable of str
            Documents to split; the tokenizer need not be fitted.

        Returns
        -------
        tokens : list of list of str
            The tokens of each document, in order.

        Examples
        --------
        >>> from skltext import TextTokenizer
        >>> TextTokenizer().tokenize(["The cat sat.", "?"])
        [['the', 'cat', 'sat'], []]
        """
        self._validate_params()
        codes, lengths, types = self._split(check_documents(X))
        tokens = list(map(types.__getitem__, codes.tolist()))
        ends = np.cumsum(lengths).tolist()
        return [tokens[end - length : end] for end, length in zip(ends, lengths.tolist())]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the vocabulary and the output length from training documents.

        Parameters
        ----------
        X : iterable of str
            Training documents.
        y : None
            Ignored.

        Returns
        -------
        self : TextTokenizer
            The fitted tokenizer.
        """
        self._fit(check_documents(X))
        return self

    def _fit(self, documents):
        """Fit on documents; return them split, as fit_transform lays them out.

        Returns
        -------
        codes, lengths, types
            As :meth:`_split` returns them.
        code_to_id : ndarray of int32
            Token id of every code.
        """
        if not documents:
            raise ValueError("TextTokenizer needs at least one document to fit; got 0.")
        codes, lengths, types = self._split(documents)
        self.vocabulary_, counts, code_to_id = rank_vocabulary(
            codes, types, min_count=self.min_count, max_words=self.max_words)
        self.token_counts_ = dict(zip(self.vocabulary_, counts))
        if self.max_len == "auto":
            self.max_len_ = max(1, int(np.ceil(np.percentile(lengths, _AUTO_MAX_LEN_QUANTILE))))
        else:
            self.max_len_ = self.max_len
        return codes, lengths, types, code_to_id

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, then transform the same documents, splitting them only once.

        Parameters
        ----------
        X : iterable of str
            Training documents, both to learn from and to lay out.
        y : None
            Ignored.

        Returns
        -------
        X_out : ndarray of shape (n_samples, max_len_)
            What :meth:`transform` would return for ``X``.
        """
        codes, lengths, types, code_to_id = self._fit(check_documents(X))
        if self.output == "tokens":  # the strings come straight from the split, not back from ids
            return self._pad(_as_token_strings(types, code_to_id != OOV_ID)[codes], lengths)
        return self._pad(code_to_id[codes], lengths)

    def transform(self, X):
        """Map documents to a padded matrix of token ids.

        Parameters
        ----------
        X : iterable of str
            Documents.

        Returns
        -------
        ids : ndarray of shape (n_samples, max_len_), dtype int32 or object
            0 is padding, 1 is an out-of-vocabulary token. With
            ``output='tokens'``, the token strings ('' and '[UNK]').
        """
        check_is_fitted(self)
        documents = check_documents(X)
        if self.output == "tokens":
            codes, lengths, types = self._split(documents)
            known = np.fromiter(map(self.vocabulary_.__contains__, types), dtype=bool, count=len(types))
            return self._pad(_as_token_strings(types, known)[codes], lengths)
        # Unknown tokens read as OOV_ID through the defaultdict's factory.
        code_of = defaultdict(oov_id_factory, self.vocabulary_).__getitem__
        return self._pad(*self._encode_corpus(documents, code_of))

    def _pad(self, values, lengths):
        """Lay flat token ids (or strings) out as a padded/truncated (n_documents, max_len_) matrix."""
        width = self.max_len_
        kept = np.minimum(lengths, width)
        if (kept < lengths).any():
            values = values[_kept_tokens(lengths, kept, keep_last=self.truncating == "pre")]
        # Row-major order of the filled cells is document order, then token order.
        columns = np.arange(width)
        filled = columns >= (width - kept)[:, None] if self.padding == "pre" else columns < kept[:, None]
        pad, dtype = (PAD_TOKEN, object) if values.dtype == object else (PAD_ID, np.int32)
        out = np.full((len(lengths), width), pad, dtype=dtype)
        out[filled] = values
        return out

    def get_vocabulary(self):
        """Return the tokens ordered by id, padding and out-of-vocabulary first.

        Returns
        -------
        tokens : list of str
            ``tokens[i]`` is the token of id ``i``; ``tokens[0] == ''`` (padding)
            and ``tokens[1] == '[UNK]'``.
        """
        check_is_fitted(self)
        return [PAD_TOKEN, OOV_TOKEN, *self.vocabulary_]

    def inverse_transform(self, X):
        """Map id matrices back to tokens, dropping padding.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Token ids, as returned by :meth:`transform`.

        Returns
        -------
        documents : list of list of str
            The tokens of each row; out-of-vocabulary ids read as '[UNK]'.
        """
        check_is_fitted(self)
        ids = np.asarray(X)
        if ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
            raise ValueError(f"inverse_transform expects a 2-D integer id matrix, got shape {ids.shape} "
                             f"and dtype {ids.dtype}.")
        vocabulary = np.array(self.get_vocabulary(), dtype=object)
        if ids.size and (ids.min() < 0 or ids.max() >= len(vocabulary)):
            raise ValueError(f"Token ids must lie in [0, {len(vocabulary) - 1}] for this vocabulary.")
        return [vocabulary[row[row != PAD_ID]].tolist() for row in ids]

    @property
    def _n_features_out(self):
        return self.max_len_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags

"""Bag-of-n-grams classifier: pooled word and n-gram embeddings (fastText, Joulin et al., 2017)."""

from numbers import Integral, Real

import keras
import numpy as np
from keras import ops
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseTextClassifier
from ._docs import fill_shared_doc
from ._blocks import classification_head, layer_seeds
from ._label_attention import LabelAttention
from ._ngrams import NgramEncoder

__all__ = ["NgramClassifier", "build_ngram"]

POOLINGS = ("mean", "sqrtn", "tfidf")

# label_attention='auto' turns it on from this many classes: it measured above the plain model with 15, 50
# and 58 classes and below it with 2 (MR) and 6 (TREC-6) (benchmarks/results/tune_ngram_options.md).
LABEL_ATTENTION_MIN_CLASSES = 10
# fastText's initial spread of the input vectors, as a multiple of 1 / embedding_dim.
_EMBEDDING_INIT_SCALE = 1.0


def _masked_sum_and_count(embedded, ids):
    """Sum of the embeddings over the non-padding positions, and their number (at least 1)."""
    present = ops.expand_dims(ops.cast(ops.not_equal(ids, 0), embedded.dtype), -1)
    return ops.sum(embedded * present, axis=1), ops.maximum(ops.sum(present, axis=1), 1.0)


@keras.saving.register_keras_serializable(package="skltext")
class MaskedMean(keras.layers.Layer):
    """Mean of the embedded ids over the non-padding positions; zeros for an empty document."""

    def call(self, embedded, ids):
        total, count = _masked_sum_and_count(embedded, ids)
        return total / count


@keras.saving.register_keras_serializable(package="skltext")
class MaskedSqrtnSum(keras.layers.Layer):
    """Sum of the embedded ids over the non-padding positions, divided by the square root of their number.

    A document of n ids with the same vector gets sqrt(n) times it: the
    scaling of an L2-normalised TF-IDF row, where each of n equal features
    weighs 1/sqrt(n), and TensorFlow's 'sqrtn' combiner. Zeros for an empty
    document.
    """

    def call(self, embedded, ids):
        total, count = _masked_sum_and_count(embedded, ids)
        return total / ops.sqrt(count)


@keras.saving.register_keras_serializable(package="skltext")
class WeightedL2Sum(keras.layers.Layer):
    """Sum of the embedded ids, each times its weight, divided by the L2 norm of the weights.

    With inverse document frequencies as the weights, this is the embedding
    of the document's L2-normalised TF-IDF row (an id that occurs twice
    counts twice). Padding has weight 0; zeros for an empty document.
    """

    def call(self, embedded, weights):
        weights = ops.cast(weights, embedded.dtype)
        norm = ops.sqrt(ops.sum(weights * weights, axis=1))
        return ops.sum(embedded * weights, axis=1) / ops.maximum(norm, 1e-6)


def _pool(pooling, name, dtype=None):
    """The layer that turns a document's embedded ids into one vector (``dtype``: None for the policy's)."""
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, got {pooling!r}.")
    layer = {"mean": MaskedMean, "sqrtn": MaskedSqrtnSum, "tfidf": WeightedL2Sum}[pooling]
    return layer(name=name, dtype=dtype)


def build_ngram(
    *,
    vocab_size,
    n_outputs,
    output_activation,
    embedding_dim=100,
    pooling="sqrtn",
    dropout=0.0,
    dense_units=None,
    wide=False,
    label_attention=False,
    id_weights=None,
    seed=None,
):
    """Build an uncompiled bag-of-n-grams network.

    Embeds every word and n-gram id of a document, pools the embeddings
    over the document's ids (padding excluded) and feeds the result to the
    output layer.

    Parameters
    ----------
    vocab_size : int
        Number of word and n-gram ids (rows of the embedding).
    n_outputs : int
        Units of the output layer.
    output_activation : {'sigmoid', 'softmax'}
        Activation of the output layer.
    embedding_dim, dropout, dense_units, wide, label_attention
        As in :class:`NgramClassifier`.
    pooling : {'sqrtn', 'mean', 'tfidf'}, default='sqrtn'
        'sqrtn' divides the sum of the embeddings by the square root of the
        number of ids; 'mean' averages them; 'tfidf' weighs each by its entry
        of ``id_weights`` and divides by the L2 norm of those weights.
    id_weights : array-like of shape (vocab_size,), default=None
        The weight of every id for ``pooling='tfidf'`` (inverse document
        frequencies), fixed during training; required there, unused
        otherwise.
    seed : int, default=None
        Fixes every initial weight and dropout mask. None leaves them to Keras.

    Returns
    -------
    model : keras.Model

    Examples
    --------
    >>> from skltext.models import build_ngram
    >>> model = build_ngram(vocab_size=100, n_outputs=3, output_activation="softmax", embedding_dim=8)
    >>> model.output_shape
    (None, 3)
    """
    seeds = layer_seeds(seed)
    inputs = keras.Input(shape=(None,), dtype="int32", name="token_ids")
    scale = _EMBEDDING_INIT_SCALE / embedding_dim
    embedded = keras.layers.Embedding(
        vocab_size, embedding_dim, name="embedding",
        embeddings_initializer=keras.initializers.RandomUniform(-scale, scale, seed=next(seeds)))(inputs)
    pool = _pool(pooling, pooling)
    # What the pooling layers weigh the embedded ids with: the ids themselves (non-zero or not), or their
    # fixed weights.
    weigh_by = inputs
    if pooling == "tfidf":
        if id_weights is None or len(id_weights) != vocab_size:
            raise ValueError(f"pooling='tfidf' needs id_weights, one per id ({vocab_size}).")
        weights_layer = keras.layers.Embedding(vocab_size, 1, trainable=False, name="id_weights", dtype="float32")
        weigh_by = weights_layer(inputs)
        weights_layer.set_weights([np.asarray(id_weights, dtype="float32").reshape(-1, 1)])
    x = pool(embedded, weigh_by)
    wide_logits = None
    if wide:
        # One weight per id and output, pooled like the embeddings: a linear model on the bag of n-grams.
        # Zeros at the start, so the network starts as it would without it.
        direct = keras.layers.Embedding(vocab_size, n_outputs, name="wide", embeddings_initializer="zeros",
                                        dtype="float32")(inputs)
        wide_logits = _pool(pooling, f"wide_{pooling}", dtype="float32")(direct, weigh_by)
    head_seed = next(seeds)
    extra_logits = [] if wide_logits is None else [wide_logits]
    if label_attention:
        extra_logits.append(LabelAttention(n_outputs, seed=next(seeds), name="label_attention",
                                           dtype="float32")(embedded, inputs))
    if len(extra_logits) > 1:
        extra_logits = [keras.layers.Add(name="extra_logits", dtype="float32")(extra_logits)]
    outputs = classification_head(x, n_outputs=n_outputs, output_activation=output_activation,
                                  dropout=dropout, dense_units=dense_units, seed=head_seed,
                                  extra_logits=extra_logits[0] if extra_logits else None)
    return keras.Model(inputs, outputs, name="ngram_classifier")


@fill_shared_doc(
    embedding_dim=100, dropout=0.5, patience=3, learning_rate="'auto'", epochs=50, class_weight="'auto'",
    refit=True, learning_rate_type="float or 'auto'",
    refit_note=("\n        On the quality benchmark's folds, refitting raised macro-F1 on MR\n"
                "        (+0.4), Subj (+0.3), TREC-50 (+0.2), nps_chat (+1.2), a fold of\n"
                "        debian_sections (+1.1) and one of debtags (+1.5, per-tag\n"
                "        thresholds) and lowered it on TREC-6 (-0.6), for about twice\n"
                "        the fit time (benchmarks/results/tune_ngram_options.md); hence\n"
                "        on by default for this model, the fastest of the three to fit."),
    learning_rate_auto=("\n        'auto' is 0.01 for multi-label targets and 0.002 otherwise; the value\n"
                        "        used is ``learning_rate_``."),
)
class NgramClassifier(BaseTextClassifier):
    """Bag-of-n-grams text classifier: the fastText model (Joulin et al., 2017) in Keras.

    Every word and every frequent run of ``ngram_range`` words of a document
    gets an embedding; their sum over the square root of their number (or
    their average, ``pooling='mean'``) goes to the output layer. Word order
    beyond the n-grams is ignored, which makes it fast (an epoch is one
    embedding lookup and one sum per document) and, on many corpora, as
    accurate as a linear model on TF-IDF n-grams. N-grams are counted in
    ``fit`` from the training documents' token ids (from
    :class:`~skltext.TextTokenizer`), so inside cross-validation each fold
    learns only its own. The head, loss, early stopping and imbalance
    remedies are those of :class:`CNNClassifier` and :class:`LSTMClassifier`.

    Parameters
    ----------
    ngram_range : tuple (min_n, max_n), default=(1, 2)
        Lengths of the word runs that get an embedding, at most 3; (1, 1) is
        a bag of words, (1, 2) adds word pairs.
    min_ngram_count : int, default=2
        N-grams of two or more words found in fewer training documents get
        no embedding (single words always get one).
    max_ngrams : int or None, default=None
        Keep at most this many n-grams of two or more words, the most
        frequent; None keeps all that pass ``min_ngram_count``.
    pooling : {'sqrtn', 'mean', 'tfidf'}, default='sqrtn'
        How a document's embeddings become one vector: 'sqrtn' divides
        their sum by the square root of their number, the scaling of an
        L2-normalised TF-IDF row, so a word weighs more in a short document
        than in a long one, but less steeply than in the mean; 'mean'
        averages them (fastText); 'tfidf' weighs each by its inverse
        document frequency in the training documents (fixed, as
        ``TfidfVectorizer`` computes it) and divides by the L2 norm of those
        weights, so the pooled vector is the embedding of the document's
        TF-IDF row. 'sqrtn' was above 'mean' on one fold of MR, Subj,
        TREC-50, debtags and debian_sections, level on nps_chat and 0.3
        points below on TREC-6 (benchmarks/results/tune_ngram_pooling.md),
        and trains in fewer epochs. 'tfidf' against 'sqrtn' on the quality
        benchmark's folds: macro-F1 -0.2 on MR, -0.6 on TREC-50, +0.2 on
        nps_chat, -1.4 on a fold of debtags
        (benchmarks/results/tune_ngram_options.md).
    bucket_by_length : bool, default=False
        Train and predict on batches of documents of similar length, each
        read from its first id, as :class:`CNNClassifier` can. The pooling
        and the label-wise attention leave the padding out, so a document
        gets the same output read at any width, but training differs: the
        batches hold other documents. Off by default. Without label-wise
        attention, pooling over the padding costs little next to the update
        of the embedding table, and every reading width is one more step
        function to compile (JAX): at full width a fold of MR, TREC-50 and
        nps_chat fitted in 12, 13 and 9 s instead of 23, 19 and 11 s
        (benchmarks/results/tune_ngram_reading.md). With it, on the quality
        benchmark's folds (benchmarks/results/tune_ngram_buckets.md), long
        documents fit 1.5 to 1.6 times as fast, but quality does not follow
        reliably: macro-F1 -1.3 on debtags (lower on all five folds), +0.4
        on debian_sections (PR-AUC -0.2); on the short documents of TREC-50
        and nps_chat buckets were slower (-0.5 and +0.3 macro-F1).
    wide : bool, default=False
        Also give every word and n-gram one weight per output, pooled like
        the embeddings and added to the output layer's logits: a linear
        model on the bag of n-grams trained with the network (the 'wide'
        part of Wide & Deep, Cheng et al., 2016). Each output then has
        features of its own, not only the ones it shares with the others
        through the embedding; the table has ``ngram_encoder_.n_ids_`` x
        outputs weights, which makes each epoch slower. On a fold of debtags
        (208 tags) it raised macro PR-AUC from 40.7 to 41.5 in 353 s instead
        of 107 s (benchmarks/results/tune_multilabel_defaults.md); on the
        single-label corpora it changed macro-F1 by -1.2 (TREC-50) to 0.0
        (benchmarks/results/tune_ngram_options.md), hence off by default.
    label_attention : bool or 'auto', default='auto'
        Also let every output attend to the document's word and n-gram
        embeddings with weights of its own and add what it reads to its
        logit (label-wise attention, Mullenbach et al., 2018): the words that
        signal a rare label are not averaged away with the rest of the
        document before that label sees them. Costs one attention score per
        id and output. 'auto' turns it on for multi-label targets and for
        multi-class targets of 10 or more classes. Against the plain model
        (both with ``refit=False``, the quality benchmark's folds,
        benchmarks/results/tune_ngram_options.md) it moved macro-F1 by +4.1
        on TREC-50 (50 classes, 5 of 5 seeds), +0.6 on nps_chat (15 classes,
        7 of 10 folds), +1.8 on a fold of debian_sections (58 classes), and
        -0.5 on TREC-6 (6 classes), -0.4 on MR and +0.3 on Subj (2); on a
        fold of debtags (208 tags) it raised macro PR-AUC from 40.7 to 43.7
        (benchmarks/results/tune_multilabel_defaults.md). It costs fit time:
        11 s instead of 6 s on TREC-50, 312 s instead of 86 s on debtags.
        The value used is ``label_attention_``.
{shared_parameters}

    Dropout 0.5 on the pooled embeddings and a learning rate of 0.002
    beat no dropout at 0.01 on all four single folds tried (nps_chat and
    MR, benchmarks/results/tune_ngram_defaults.md); at 0.01 the best
    epoch was nearly always the first. At this rate TREC-50's 50 classes
    still improved at the 20th epoch, hence ``epochs=50``; early stopping
    ends most fits far sooner. Multi-label targets get two defaults of
    their own ('auto'), chosen on a fold of debtags (208 tags,
    benchmarks/results/tune_multilabel_defaults.md): early stopping on the
    hold-out's macro average precision (the loss, dominated by the frequent
    tags, stopped before the rare ones were learnt; macro PR-AUC 31.4 to
    39.6, then 40.7 with 'sqrtn' pooling) and a learning rate of 0.01 (as
    good as 0.002, in 107 s instead of 279 s).

    Attributes
    ----------
{shared_attributes}
    ngram_encoder_ : NgramEncoder
        The n-gram table learnt in ``fit``; ``ngram_encoder_.n_ids_`` is the
        number of embedding rows.
    learning_rate_ : float
        The learning rate of the last ``fit`` (``learning_rate`` with 'auto'
        resolved: 0.01 for multi-label targets, 0.002 otherwise).
    label_attention_ : bool
        Whether the network of the last ``fit`` has label-wise attention
        (``label_attention`` with 'auto' resolved).
    bucket_by_length_ : bool
        Whether the last ``fit`` read documents in length buckets, and so
        ``predict`` does too (``bucket_by_length``, except with
        ``balanced_batches``, whose batches mix lengths).

    See Also
    --------
    CNNClassifier : Convolutional text classifier.
    LSTMClassifier : Recurrent text classifier.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skltext import NgramClassifier, TextTokenizer
    >>> texts = ["good movie", "great film", "bad movie", "awful film"] * 10
    >>> labels = ["pos", "pos", "neg", "neg"] * 10
    >>> pipe = make_pipeline(TextTokenizer(), NgramClassifier(embedding_dim=8, epochs=2, random_state=0))
    >>> pipe.fit(texts, labels).predict_proba(["good film"]).shape
    (1, 2)
    """

    _parameter_constraints = {
        **BaseTextClassifier._parameter_constraints,
        "ngram_range": ["array-like"],
        "min_ngram_count": [Interval(Integral, 1, None, closed="left")],
        "max_ngrams": [Interval(Integral, 1, None, closed="left"), None],
        "pooling": [StrOptions(set(POOLINGS))],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "bucket_by_length": ["boolean"],
        "wide": ["boolean"],
        "label_attention": ["boolean", StrOptions({"auto"})],
    }

    def __init__(
        self,
        *,
        ngram_range=(1, 2),
        min_ngram_count=2,
        max_ngrams=None,
        pooling="sqrtn",
        bucket_by_length=False,
        wide=False,
        label_attention="auto",
        embedding_dim=100,
        embeddings=None,
        trainable_embeddings=True,
        spatial_dropout=0.0,
        dropout=0.5,
        dense_units=None,
        optimizer="adam",
        learning_rate="auto",
        loss="auto",
        class_weight="auto",
        class_weight_mu=0.15,
        balanced_batches=False,
        batch_size="auto",
        epochs=50,
        early_stopping=True,
        validation_fraction=0.1,
        patience=3,
        scoring="auto",
        refit=True,
        callbacks=None,
        warm_start=False,
        random_state=None,
        verbose=0,
        dtype_policy=None,
        **routed_params,
    ):
        super().__init__(
            embedding_dim=embedding_dim, embeddings=embeddings, trainable_embeddings=trainable_embeddings,
            spatial_dropout=spatial_dropout, dropout=dropout,
            dense_units=dense_units, optimizer=optimizer, learning_rate=learning_rate, loss=loss,
            class_weight=class_weight, class_weight_mu=class_weight_mu,
            balanced_batches=balanced_batches, batch_size=batch_size, epochs=epochs,
            early_stopping=early_stopping, validation_fraction=validation_fraction,
            patience=patience, scoring=scoring, refit=refit, callbacks=callbacks, warm_start=warm_start,
            random_state=random_state, verbose=verbose, dtype_policy=dtype_policy, **routed_params,
        )
        self.ngram_range = ngram_range
        self.min_ngram_count = min_ngram_count
        self.max_ngrams = max_ngrams
        self.pooling = pooling
        self.bucket_by_length = bucket_by_length
        self.wide = wide
        self.label_attention = label_attention

    def _check_params(self):
        super()._check_params()
        low_high = tuple(self.ngram_range)
        if not (len(low_high) == 2 and all(isinstance(n, Integral) and not isinstance(n, bool) for n in low_high)
                and 1 <= low_high[0] <= low_high[1] <= 3):
            raise ValueError(f"ngram_range must be (min_n, max_n) with 1 <= min_n <= max_n <= 3, "
                             f"got {self.ngram_range!r}.")
        if self.embeddings is not None:
            raise ValueError(f"{type(self).__name__} does not take pre-trained embeddings: its rows are "
                             "word n-grams as well as words. Use CNNClassifier or LSTMClassifier with "
                             "embeddings=.")
        if self.spatial_dropout:
            raise ValueError(f"spatial_dropout does not apply to {type(self).__name__}, which pools "
                             "its embeddings; use dropout.")

    @property
    def feature_encoder(self):
        # Fitted in _initialize on the training ids, before the network is built from its size.
        low, high = (int(n) for n in self.ngram_range)
        return NgramEncoder(ngram_range=(low, high), min_count=int(self.min_ngram_count),
                            max_ngrams=None if self.max_ngrams is None else int(self.max_ngrams),
                            weigh_ids=self.pooling == "tfidf")

    @property
    def ngram_encoder_(self):
        return self.feature_encoder_

    # The CNN's coarser reading widths: few batch shapes to compile.
    _bucket_grid = "geometric"
    # learning_rate='auto': (multi-label, other targets).
    _auto_learning_rates = (0.01, 0.002)

    def _choose_reading_mode(self, X):
        # Balanced batches mix lengths freely, so they are read at full width.
        self.bucket_by_length_ = bool(self.bucket_by_length) and not self.balanced_batches

    def _reads_in_length_buckets(self):
        return getattr(self, "bucket_by_length_", False)

    def _resolved_label_attention(self, n_outputs):
        self.label_attention_ = self.label_attention
        if self.label_attention == "auto":
            self.label_attention_ = bool(self.target_type_ == "multilabel-indicator"
                                         or n_outputs >= LABEL_ATTENTION_MIN_CLASSES)
        return bool(self.label_attention_)

    def _build_network(self, meta):
        return build_ngram(
            vocab_size=self.feature_encoder_.n_ids_, n_outputs=meta["n_outputs"],
            output_activation=meta["output_activation"], embedding_dim=int(meta["embedding_dim"]),
            pooling=self.pooling, dropout=self.dropout, dense_units=self.dense_units, wide=bool(self.wide),
            label_attention=self._resolved_label_attention(meta["n_outputs"]),
            id_weights=getattr(self.feature_encoder_, "idf_", None), seed=meta["seed"],
        )

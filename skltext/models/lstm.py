"""Recurrent text classifier: embedding, stacked LSTM or GRU, dense head."""

import itertools
from numbers import Integral, Real

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseTextClassifier
from ._docs import fill_shared_doc
from ._blocks import TokenMaxPooling, classification_head, embedding_block, layer_seeds
from ._label_attention import LabelAttention
from ._scalars import accepts_numpy_scalars
from ._slow_settings import warn_slow_recurrent_settings

__all__ = ["LSTMClassifier", "build_lstm"]

_CELLS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}
_POOLINGS = ("last", "max")
# pooling='auto' reads the maximum over tokens from this many classes: on the quality benchmark's folds it
# beat the last state with 15, 50 and 58 classes and lost to it with 2 and 6
# (benchmarks/results/tune_lstm_pooling.md).
MAX_POOLING_MIN_CLASSES = 10
# ... and, whatever the classes, from this median number of tokens per training document. Over 6 classes
# of long synthetic documents (median 98) the last state scored 31 to 64 macro-F1 by fold and max pooling
# 88; on Debian sections (median 52) the two were even (benchmarks/results/tune_lstm_long.md). The
# few-class corpora where the last state won (MR, Subj, TREC-6) have medians of 8 to 21 tokens.
MAX_POOLING_MIN_TOKENS = 40
# bucket_by_length='auto' starts here: below, compiling a step function per bucket
# (JAX compiles one per batch shape) costs more than the skipped padding saves.
_AUTO_BUCKETS_FROM = 20_000


@accepts_numpy_scalars
def build_lstm(
    *,
    vocab_size,
    sequence_length,
    n_outputs,
    output_activation,
    embedding_dim=128,
    cell="lstm",
    units=64,
    num_layers=1,
    bidirectional=False,
    spatial_dropout=0.0,
    recurrent_dropout=0.0,
    dropout=0.2,
    dense_units=None,
    mask_padding=False,
    pooling="last",
    label_attention=False,
    pretrained=False,
    seed=None,
):
    """Build an uncompiled recurrent text classifier.

    Parameters
    ----------
    vocab_size : int
        Number of token ids (rows of the embedding).
    sequence_length : int or None
        Columns of the input id matrix; None takes any length.
    n_outputs : int
        Units of the output layer.
    output_activation : {'sigmoid', 'softmax'}
        Activation of the output layer.
    embedding_dim, cell, units, num_layers, bidirectional, spatial_dropout, \
recurrent_dropout, dropout, dense_units, mask_padding, pooling, \
label_attention
        As in :class:`LSTMClassifier`.
    pretrained : bool, default=False
        Hold the padding row of the embedding at zero (for weights set from
        word vectors after building).
    seed : int, default=None
        Fixes every initial weight and dropout mask, each layer with its own
        seed derived from this one. None leaves them to Keras, which seeds
        them from Python's global ``random``.

    Returns
    -------
    model : keras.Model

    Examples
    --------
    >>> from skltext.models import build_lstm
    >>> model = build_lstm(vocab_size=100, sequence_length=12, n_outputs=3,
    ...                    output_activation="softmax", units=8, num_layers=2)
    >>> model.output_shape
    (None, 3)
    """
    if pooling not in _POOLINGS:
        raise ValueError(f"pooling must be one of {', '.join(_POOLINGS)}; got {pooling!r}.")
    seeds = layer_seeds(seed)
    inputs, x = embedding_block(vocab_size=vocab_size, sequence_length=sequence_length,
                                embedding_dim=embedding_dim, spatial_dropout=spatial_dropout,
                                mask_padding=mask_padding, pretrained=pretrained, seed=next(seeds))
    for depth in range(num_layers):
        top = depth == num_layers - 1
        settings = {"units": units, "return_sequences": not top or pooling != "last" or label_attention,
                    "recurrent_dropout": recurrent_dropout}
        # Label-wise attention reads the top layer's outputs at every position; 'last' then takes the
        # final state from the layer's states, which is what the layer returns without sequences.
        final_states = top and label_attention and pooling == "last"
        if final_states:
            settings["return_state"] = True
        layer = _recurrent_layer(cell, name=f"{cell}_{depth}", seed=next(seeds), **settings)
        if bidirectional:
            # Keras would copy the forward layer, seeds included, so both directions would start alike.
            backward = _recurrent_layer(cell, name=f"backward_{cell}_{depth}", seed=next(seeds), go_backwards=True,
                                        **settings)
            layer = keras.layers.Bidirectional(layer, backward_layer=backward, name=f"bidirectional_{depth}")
        x = layer(x)
    sequences = x
    if final_states:
        sequences, *states = x
        # The hidden state of each direction: LSTM layers return (h, c) per direction, GRU layers h.
        per_direction = len(states) // (2 if bidirectional else 1)
        finals = states[::per_direction]
        x = finals[0] if len(finals) == 1 else keras.layers.Concatenate(name="final_states")(finals)
    if pooling == "max":
        x = TokenMaxPooling(name="max_pool")([x, inputs])
    head_seed = next(seeds)
    extra_logits = None
    if label_attention:
        extra_logits = LabelAttention(n_outputs, seed=next(seeds), name="label_attention",
                                      dtype="float32")(sequences, inputs)
    outputs = classification_head(x, n_outputs=n_outputs, output_activation=output_activation,
                                  dropout=dropout, dense_units=dense_units, seed=head_seed,
                                  extra_logits=extra_logits)
    return keras.Model(inputs, outputs, name="lstm_classifier")


def _recurrent_layer(cell, *, units, name, seed, **settings):
    """An LSTM or GRU layer with Keras' default initialisers, all seeded from ``seed``."""
    kernel_seed, recurrent_seed, dropout_seed = itertools.islice(layer_seeds(seed), 3)
    return _CELLS[cell](units, name=name, seed=dropout_seed,
                        kernel_initializer=keras.initializers.GlorotUniform(kernel_seed),
                        recurrent_initializer=keras.initializers.Orthogonal(seed=recurrent_seed), **settings)


@fill_shared_doc(
    embedding_dim=128, dropout=0.2, patience=3, learning_rate="'auto'", epochs=20, class_weight=None,
    learning_rate_type="float or 'auto'",
    learning_rate_auto=("\n        'auto' is 0.003 for multi-label targets and 0.001 otherwise; the value\n"
                        "        used is ``learning_rate_``."),
)
class LSTMClassifier(BaseTextClassifier):
    """Recurrent neural text classifier: embedding, LSTM or GRU layers, dense head.

    Takes the integer id matrix produced by :class:`~skltext.TextTokenizer`
    (use both in a pipeline). The output head and loss follow the target:
    binary labels get one sigmoid unit with binary cross-entropy, multi-class
    labels a softmax with sparse categorical cross-entropy, and a multi-label
    indicator matrix one sigmoid per label with binary cross-entropy. Early
    stopping on a stratified validation split is on by default.

    Parameters
    ----------
    cell : {'lstm', 'gru'}, default='lstm'
        Recurrent cell type.
    units : int, default=64
        Units of each recurrent layer (per direction).
    num_layers : int, default=1
        Number of stacked recurrent layers.
    bidirectional : bool, default=False
        Read documents in both directions.
    recurrent_dropout : float, default=0.0
        Dropout on the recurrent state. Any value above 0 disables the fused
        (cuDNN and oneDNN) kernels and makes training several times slower.
    mask_padding : bool, default=False
        Mask padding ids in the recurrent layers. With the tokenizer's default
        pre-padding the real tokens come last, so the mask is rarely needed,
        and it slows training down.
    pooling : {'last', 'max', 'auto'}, default='auto'
        What the head reads: 'last', the last layer's final state; 'max',
        the maximum of each of its units over the document's token positions
        (padding left out), so a cue anywhere in a long document counts as
        much as one at its end, and post-padded ids read as well as
        pre-padded ones. 'auto' is 'max' for multi-label targets, for
        multi-class targets of 10 or more classes and for long documents (a
        median of 40 or more tokens per training document, padding left
        out), and 'last' otherwise. On the quality benchmark's folds
        (benchmarks/results/tune_lstm_pooling.md) 'max' moved macro-F1 by
        +4.1 on TREC-50 (50 classes), +4.4 on nps_chat (15) and +10.6 on
        debian_sections (58, all five folds: 38.1 to 48.7), and by -2.0 on
        TREC-6 (6), -0.4 on Subj and -0.3 on MR (2), whose documents have
        medians of 8 to 21 tokens; on a fold of debtags (208 tags) by +8.0
        (benchmarks/results/tune_deep_multilabel.md). Over long documents
        of few classes (benchmarks/results/tune_lstm_long.md) it moved
        macro-F1 by +36.6 on a 6-class synthetic corpus (median 98 tokens,
        where the last state scored 31 to 64 by fold), and by +0.9 and -0.3
        on the 6 and 2 most common Debian sections (median 52). The value
        used is ``pooling_``.
    label_attention : bool or 'auto', default='auto'
        Also let every output attend to the last recurrent layer's outputs
        at each token with weights of its own and add what it reads to its
        logit (label-wise attention, as in :class:`NgramClassifier`; LAAT,
        Vu et al., 2020, over an LSTM), beside what ``pooling`` hands the
        head. Costs one attention score per token and output. On debtags'
        five quality folds (208 tags; max pooling, a learning rate of 0.003,
        early stopping on macro average precision) it raised macro-F1 from
        29.0 to 33.4, on every fold, for 1.2 to 1.4 times the fit time
        (benchmarks/results/tune_deep_multilabel.md). On multi-class corpora
        of many classes it lowered macro-F1: TREC-50 (50 classes) by 4.6,
        nps_chat (15) by 0.8 (benchmarks/results/tune_deep_attention.md).
        'auto' turns it on for multi-label targets only. The value used is
        ``label_attention_``.
    bucket_by_length : bool or 'auto', default='auto'
        Train and predict on batches of documents of similar length, each
        read from its first token (its length rounded up to a multiple of 8),
        so the recurrent layers skip most of the padding and an epoch takes
        less time the shorter the documents are than the padded length. A
        document is read the same way in fit and predict, whatever
        its batch. Needs pre-padded ids (the tokenizer's default); post-padded
        ids are read whole. Off with ``balanced_batches``, whose batches mix
        lengths. 'auto' turns it on from 20,000 training documents; below
        that, compiling one step function per length (JAX compiles each batch
        shape) costs more time than the padding would. The choice made is
        ``bucket_by_length_``. The network takes ids of any length, so
        ``model_.predict`` on the full matrix also works, reading all padding.
{shared_parameters}

    Attributes
    ----------
{shared_attributes}
    pooling_ : {'last', 'max'}
        What the head of the last ``fit``'s network reads (``pooling`` with
        'auto' resolved).
    label_attention_ : bool
        Whether the network of the last ``fit`` has label-wise attention
        (``label_attention`` with 'auto' resolved).
    learning_rate_ : float
        The learning rate of the last ``fit`` (``learning_rate`` with 'auto'
        resolved: 0.003 for multi-label targets, 0.001 otherwise).
    bucket_by_length_ : bool
        Whether the last ``fit`` read documents in length buckets, and so
        ``predict`` does too.

    See Also
    --------
    CNNClassifier : Convolutional text classifier, usually faster to train.
    skltext.TextTokenizer : Produces the token id matrices this model takes.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skltext import LSTMClassifier, TextTokenizer
    >>> texts = ["good movie", "great film", "bad movie", "awful film"] * 10
    >>> labels = ["pos", "pos", "neg", "neg"] * 10
    >>> pipe = make_pipeline(TextTokenizer(), LSTMClassifier(units=8, epochs=2, random_state=0))
    >>> pipe.fit(texts, labels).predict(["good film"]).shape
    (1,)
    """

    _parameter_constraints = {
        **BaseTextClassifier._parameter_constraints,
        "cell": [StrOptions(set(_CELLS))],
        "units": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "recurrent_dropout": [Interval(Real, 0, 1, closed="left")],
        "mask_padding": ["boolean"],
        "pooling": [StrOptions({*_POOLINGS, "auto"})],
        "label_attention": ["boolean", StrOptions({"auto"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "bucket_by_length": ["boolean", StrOptions({"auto"})],
    }

    # learning_rate='auto': (multi-label, other targets).
    _auto_learning_rates = (0.003, 0.001)

    def __init__(
        self,
        *,
        cell="lstm",
        units=64,
        num_layers=1,
        bidirectional=False,
        recurrent_dropout=0.0,
        mask_padding=False,
        pooling="auto",
        label_attention="auto",
        bucket_by_length="auto",
        embedding_dim=128,
        embeddings=None,
        trainable_embeddings=True,
        spatial_dropout=0.0,
        dropout=0.2,
        dense_units=None,
        optimizer="adam",
        learning_rate="auto",
        loss="auto",
        class_weight=None,
        class_weight_mu=0.15,
        balanced_batches=False,
        batch_size="auto",
        epochs=20,
        early_stopping=True,
        validation_fraction=0.1,
        patience=3,
        scoring="auto",
        refit=False,
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
        self.cell = cell
        self.units = units
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.recurrent_dropout = recurrent_dropout
        self.mask_padding = mask_padding
        self.pooling = pooling
        self.label_attention = label_attention
        self.bucket_by_length = bucket_by_length

    def _choose_reading_mode(self, X):
        # Balanced batches mix lengths freely, so they are read at full width.
        wanted = len(X) >= _AUTO_BUCKETS_FROM if self.bucket_by_length == "auto" else self.bucket_by_length
        self.bucket_by_length_ = wanted and not self.balanced_batches

    def _reads_in_length_buckets(self):
        return getattr(self, "bucket_by_length_", False)

    def _check_params(self):
        super()._check_params()
        warn_slow_recurrent_settings(type(self).__name__, recurrent_dropout=self.recurrent_dropout)

    def _describe_training_ids(self, X):
        super()._describe_training_ids(X)
        self._median_tokens = float(np.median(np.count_nonzero(X, axis=1))) if len(X) else 0.0

    def _resolved_pooling(self, n_outputs):
        self.pooling_ = self.pooling
        if self.pooling == "auto":
            many_classes = self.target_type_ == "multiclass" and n_outputs >= MAX_POOLING_MIN_CLASSES
            multilabel = self.target_type_ == "multilabel-indicator"
            long_documents = self._median_tokens >= MAX_POOLING_MIN_TOKENS
            self.pooling_ = "max" if many_classes or multilabel or long_documents else "last"
        return self.pooling_

    def _resolved_label_attention(self):
        self.label_attention_ = self.label_attention
        if self.label_attention == "auto":
            self.label_attention_ = self.target_type_ == "multilabel-indicator"
        return bool(self.label_attention_)

    def _build_network(self, meta):
        return build_lstm(
            # Any sequence length: length buckets feed batches trimmed to their documents.
            vocab_size=meta["vocab_size_"], sequence_length=None,
            n_outputs=meta["n_outputs"], output_activation=meta["output_activation"],
            embedding_dim=meta["embedding_dim"], pretrained=meta["pretrained"], cell=self.cell,
            units=self.units,
            num_layers=self.num_layers, bidirectional=self.bidirectional,
            spatial_dropout=self.spatial_dropout, recurrent_dropout=self.recurrent_dropout,
            dropout=self.dropout, dense_units=self.dense_units, mask_padding=self.mask_padding,
            pooling=self._resolved_pooling(meta["n_outputs"]), label_attention=self._resolved_label_attention(),
            seed=meta["seed"],
        )

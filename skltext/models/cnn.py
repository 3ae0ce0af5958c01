"""Convolutional text classifier: the sentence CNN of Kim (2014)."""

from numbers import Integral

import keras
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseTextClassifier
from ._docs import fill_shared_doc
from ._blocks import PaddingPositionsToZero, classification_head, embedding_block, layer_seeds
from ._label_attention import LabelAttention
from ._length_buckets import buckets_pay_off
from ._scalars import accepts_numpy_scalars

__all__ = ["CNNClassifier", "build_cnn"]

@accepts_numpy_scalars
def build_cnn(
    *,
    vocab_size,
    sequence_length,
    n_outputs,
    output_activation,
    embedding_dim=128,
    filters=200,
    kernel_sizes=(3, 4, 5),
    spatial_dropout=0.0,
    dropout=0.5,
    dense_units=None,
    padding_invariant=True,
    label_attention=False,
    pretrained=False,
    seed=None,
):
    """Build an uncompiled sentence CNN.

    Parallel Conv1D windows over the embedded sequence, global max pooling of
    each, concatenated, then dropout and the output layer.

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
    embedding_dim, filters, kernel_sizes, spatial_dropout, dropout, dense_units, label_attention
        As in :class:`CNNClassifier`.
    padding_invariant : bool, default=True
        Make the output independent of padding: the embedded sequence is zero
        at padding positions (id 0), and the convolution outputs there are
        zeroed before the max pool, so only windows centred on a token can
        win it. A document then gets the same output however many padding
        columns surround it, and can be read at the width of its own length
        (length buckets). False builds the network of skltext 0.2.0 and
        earlier, where the padding row of the embedding is trained and
        windows over padding enter the max pool.
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
    >>> from skltext.models import build_cnn
    >>> model = build_cnn(vocab_size=100, sequence_length=12, n_outputs=1,
    ...                   output_activation="sigmoid", filters=4)
    >>> model.output_shape
    (None, 1)
    """
    seeds = layer_seeds(seed)
    inputs, x = embedding_block(vocab_size=vocab_size, sequence_length=sequence_length,
                                embedding_dim=embedding_dim, spatial_dropout=spatial_dropout,
                                zero_padding_positions=padding_invariant, pretrained=pretrained,
                                seed=next(seeds))
    feature_maps, pooled = [], []
    for size in kernel_sizes:
        # 'same' padding lets windows wider than short documents still apply.
        conv = keras.layers.Conv1D(filters, size, padding="same", activation="relu", name=f"conv_{size}",
                                   kernel_initializer=keras.initializers.GlorotUniform(next(seeds)))(x)
        if padding_invariant:
            # ReLU outputs are >= 0, so zeros at padding positions never beat a token's window
            # in the max pool; a document without tokens pools to zeros at any width.
            conv = PaddingPositionsToZero(name=f"zero_padding_{size}")([conv, inputs])
        feature_maps.append(conv)
        pooled.append(keras.layers.GlobalMaxPooling1D(name=f"max_pool_{size}")(conv))
    x = pooled[0] if len(pooled) == 1 else keras.layers.Concatenate(name="concatenate")(pooled)
    head_seed = next(seeds)
    extra_logits = None
    if label_attention:
        # Every output attends to the windows' features at each token ('same' padding keeps them aligned
        # with the ids, so padding positions get no attention): CAML (Mullenbach et al., 2018).
        windows = (feature_maps[0] if len(feature_maps) == 1
                   else keras.layers.Concatenate(name="concatenate_windows")(feature_maps))
        extra_logits = LabelAttention(n_outputs, seed=next(seeds), name="label_attention",
                                      dtype="float32")(windows, inputs)
    outputs = classification_head(x, n_outputs=n_outputs, output_activation=output_activation,
                                  dropout=dropout, dense_units=dense_units, seed=head_seed,
                                  extra_logits=extra_logits)
    return keras.Model(inputs, outputs, name="cnn_classifier")


@fill_shared_doc(embedding_dim=128, dropout=0.5, patience=5, learning_rate=0.001, epochs=20, class_weight=None)
class CNNClassifier(BaseTextClassifier):
    """Convolutional neural text classifier (the sentence CNN of Kim, 2014).

    Embedding, parallel Conv1D windows (3, 4 and 5 tokens, 200 filters each by
    default), global max pooling, dropout and a dense output layer. Takes the
    integer id matrix produced by :class:`~skltext.TextTokenizer`. The output
    head and loss follow the target, and early stopping is on by default, as
    in :class:`LSTMClassifier`.

    Parameters
    ----------
    filters : int, default=200
        Filters per window size. Kim (2014) used 100 with 300-dimensional
        embeddings; with the default 128-dimensional embedding, 200 filters
        and ``patience=5`` beat his CNN-rand accuracy on MR and Subj and
        fall 1.8 points short on TREC-6 (benchmarks/results/kim.md); 100
        filters and ``patience=3`` score alike there, but lose 2.2 macro-F1
        on TREC-50 on the quality benchmark's folds
        (benchmarks/results/tune_cnn_filters.md).
    kernel_sizes : tuple of int, default=(3, 4, 5)
        Window sizes, in tokens, of the parallel convolutions.
    bucket_by_length : bool or 'auto', default='auto'
        Train and predict on batches of documents of similar length, each read
        from its first token (its length rounded up to 8, 16, ... 64, then to
        four widths per doubling: 80, 96, 112, 128, 160, ...), so the
        convolutions skip most of the padding. The network's output does not
        depend on padding (padding positions are zero after the embedding and
        are left out of the max pool), so a document gets the same prediction
        read at any width; training differs only in which documents share a
        batch (over training seeds the CNN scored alike either way,
        benchmarks/results/bucket_quality.md). Needs pre-padded ids (the
        tokenizer's default); post-padded ids are read whole. Off with
        ``balanced_batches``, whose batches mix lengths. 'auto' turns it on
        when an epoch in buckets would convolve at most two thirds of the
        columns of an epoch at full width, counting the rows that fill up each
        width's last batch (every batch has the same size, so that JAX
        compiles one step function per width, not per batch shape):
        long-tailed lengths, where ``max_len`` is far above most documents,
        and enough documents per width. On a few hundred documents the
        filled-up batches cost more than the padding. On a GPU 'auto' leaves
        it off: padding costs little there and every width's compilation much
        (on an H200, a fit of 5.6 s at full width took 57.5 s in buckets;
        benchmarks/results/gpu.md). The choice made is ``bucket_by_length_``.
    label_attention : bool, default=False
        Also let every output attend to the convolution features at each
        token with weights of its own and add what it reads to its logit
        (label-wise attention over the windows, CAML; Mullenbach et al.,
        2018), as :class:`NgramClassifier` does over its embeddings: the
        windows that signal a rare label are not max-pooled together with
        those every other label reads. Costs one attention score per token
        and output. On a fold of debtags (208 tags, early stopping on macro
        average precision) it moved macro-F1 from 33.1 to 33.2 at 1.9 times
        the fit time (benchmarks/results/tune_deep_multilabel.md); on TREC-50
        (50 classes) it lowered macro-F1 by 9.4 and on nps_chat (15) by 0.5
        (benchmarks/results/tune_deep_attention.md).
{shared_parameters}

    Attributes
    ----------
{shared_attributes}
    bucket_by_length_ : bool
        Whether the last ``fit`` read documents in length buckets, and so
        ``predict`` does too.

    See Also
    --------
    LSTMClassifier : Recurrent text classifier.
    skltext.TextTokenizer : Produces the token id matrices this model takes.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skltext import CNNClassifier, TextTokenizer
    >>> texts = ["good movie", "great film", "bad movie", "awful film"] * 10
    >>> labels = ["pos", "pos", "neg", "neg"] * 10
    >>> pipe = make_pipeline(TextTokenizer(), CNNClassifier(filters=8, epochs=2, random_state=0))
    >>> pipe.fit(texts, labels).predict_proba(["good film"]).shape
    (1, 2)
    """

    _parameter_constraints = {
        **BaseTextClassifier._parameter_constraints,
        "filters": [Interval(Integral, 1, None, closed="left")],
        "kernel_sizes": ["array-like"],
        "bucket_by_length": ["boolean", StrOptions({"auto"})],
        "label_attention": ["boolean"],
    }
    # Few widths, so few step functions to compile; the output does not depend on the padding.
    _bucket_grid = "geometric"
    # False rebuilds the network of 0.2.0 and earlier (benchmarks compare against it).
    _padding_invariant = True

    def __init__(
        self,
        *,
        filters=200,
        kernel_sizes=(3, 4, 5),
        bucket_by_length="auto",
        label_attention=False,
        embedding_dim=128,
        embeddings=None,
        trainable_embeddings=True,
        spatial_dropout=0.0,
        dropout=0.5,
        dense_units=None,
        optimizer="adam",
        learning_rate=0.001,
        loss="auto",
        class_weight=None,
        class_weight_mu=0.15,
        balanced_batches=False,
        batch_size="auto",
        epochs=20,
        early_stopping=True,
        validation_fraction=0.1,
        patience=5,
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
        self.filters = filters
        self.kernel_sizes = kernel_sizes
        self.bucket_by_length = bucket_by_length
        self.label_attention = label_attention

    def _check_params(self):
        sizes = list(self.kernel_sizes)
        if not sizes or not all(isinstance(s, Integral) and not isinstance(s, bool) and s >= 1 for s in sizes):
            raise ValueError(f"kernel_sizes must be a non-empty sequence of positive ints, got {self.kernel_sizes!r}.")

    def _choose_reading_mode(self, X):
        wanted = self.bucket_by_length
        if wanted == "auto":
            wanted = buckets_pay_off(X, self._bucket_grid, self.batch_size_)
        # Balanced batches mix lengths freely, so they are read at full width.
        self.bucket_by_length_ = bool(wanted) and not self.balanced_batches

    def _reads_in_length_buckets(self):
        return getattr(self, "bucket_by_length_", False)

    def _build_network(self, meta):
        return build_cnn(
            # Any sequence length: length buckets feed batches trimmed to their documents.
            vocab_size=meta["vocab_size_"], sequence_length=None,
            n_outputs=meta["n_outputs"], output_activation=meta["output_activation"],
            embedding_dim=meta["embedding_dim"], pretrained=meta["pretrained"], filters=self.filters,
            kernel_sizes=tuple(int(s) for s in self.kernel_sizes),
            spatial_dropout=self.spatial_dropout, dropout=self.dropout, dense_units=self.dense_units,
            padding_invariant=self._padding_invariant, label_attention=bool(self.label_attention),
            seed=meta["seed"],
        )

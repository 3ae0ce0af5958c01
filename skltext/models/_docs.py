"""The parameter and attribute sections the three text classifiers share in their docstrings.

Filled in by :func:`skltext._docstrings.insert_doc_sections`, as the shared
sections of :mod:`skltext.sampling` are: a class docstring holds
``{shared_parameters}`` and ``{shared_attributes}``, and each model gives its
own defaults for the parameters whose defaults differ.
"""

from .._docstrings import insert_doc_sections

__all__ = ["fill_shared_doc"]

SHARED_PARAMETERS_DOC = """\
    embedding_dim : int, default={embedding_dim}
        Size of the learnt token embeddings. Ignored with ``embeddings``,
        whose dimension is used.
    embeddings : WordVectors, default=None
        Pre-trained word vectors (:func:`skltext.embeddings.load_word_vectors`
        or :func:`skltext.embeddings.train_word_vectors`) that initialise the
        embedding layer. The model then takes the token strings of
        ``TextTokenizer(output='tokens')`` rather than ids, fits its own
        vocabulary from the training tokens in every ``fit`` (so inside
        cross-validation each fold uses only its own words) and starts each
        word's row from its vector; words without a vector and the
        out-of-vocabulary row get small random vectors of the same spread,
        and padding stays zero. Without ``embeddings`` either input works.
    trainable_embeddings : bool, default=True
        Fine-tune the pre-trained vectors with the rest of the network
        ('non-static' in Kim, 2014); False freezes them ('static'). Only used
        with ``embeddings``.
    spatial_dropout : float, default=0.0
        Share of embedding channels dropped for a whole document in training.
    dropout : float, default={dropout}
        Dropout before the output layer (and after ``dense_units``).
    dense_units : int, default=None
        Units of an optional hidden ReLU layer before the output layer.
    optimizer : str or keras.optimizers.Optimizer, default='adam'
        A Keras optimizer name or instance. Extra optimizer arguments can be
        given as ``optimizer__<name>=value`` (e.g. ``optimizer__beta_1=0.8``).
    learning_rate : {learning_rate_type}, default={learning_rate}
        Learning rate; overrides the optimizer's own.{learning_rate_auto}
    loss : {{'auto', 'focal', 'class_balanced', 'top_k', 'logit_adjusted'}}, str, keras.losses.Loss or \
callable, \
default='auto'
        'auto' picks the loss from the target: binary cross-entropy for binary
        and multi-label targets, sparse categorical cross-entropy for
        multi-class. The imbalance losses of :mod:`skltext.losses`, in the
        form that fits the target, are chosen by name, with settings routed as
        ``loss__<name>``:

        - 'focal': :class:`~skltext.losses.FocalLoss`, ``loss__gamma=2.0``,
          ``loss__alpha=None`` (sigmoid heads only);
        - 'class_balanced': :class:`~skltext.losses.ClassBalancedLoss`, class
          weights from the effective number of training documents,
          ``loss__beta=0.999``, ``loss__gamma=0.0``;
        - 'top_k': :class:`~skltext.losses.TopKLoss`, only the hardest
          ``loss__fraction=0.5`` of each batch is learnt from,
          ``loss__gamma=0.0``;
        - 'logit_adjusted': :class:`~skltext.losses.LogitAdjustedLoss`,
          training on logits shifted by ``loss__tau=1.0`` times each class's
          log prior in the training data (sigmoid heads: log prior odds), so
          the predictions follow the balanced decision rule, which favours
          rare classes (higher macro-F1).

        A Keras loss name or object is used as given, except that one
        contradicting the target type (a categorical loss for binary or
        multi-label, binary cross-entropy for multi-class) is refused with a
        ValueError. Multi-class losses whose name does not start with
        'sparse' receive one-hot targets.
    class_weight : {{'auto', 'balanced', 'balanced_log'}}, dict or None, default={class_weight}
        Weights of the classes, computed from the ``y`` given to ``fit`` (the
        training fold, inside cross-validation) by
        :func:`skltext.weights.compute_class_weights`: 'balanced' is
        ``n_samples / (n_classes * count)``; 'balanced_log' is
        ``max(1, log(class_weight_mu * n_samples / count))``, which leaves
        frequent classes at 1 and gives rare ones a moderate boost; a dict is
        ``{{label: weight}}``. For multi-label targets these are per-label
        *positive* weights (how much a positive of the label counts against a
        negative; 'balanced' gives ``n_negatives / n_positives``), applied
        inside the loss, so they work with loss 'auto', 'focal' and 'top_k'.
        'auto' is 'balanced_log' for multi-class targets and None for binary
        and multi-label ones, and None with ``balanced_batches`` or a loss
        that weighs the classes itself ('class_balanced', 'logit_adjusted');
        the weights used are ``class_weight_``.
    class_weight_mu : float > 0, default=0.15
        Smoothing ``mu`` of ``class_weight='balanced_log'``.
    balanced_batches : bool, default=False
        Draw each epoch's training batches, with replacement, so that every
        class (for multi-label: every row's rarest label) appears about
        equally often; re-drawn every epoch, so over-sampled rare documents
        differ between epochs. The early-stopping validation data keeps its
        natural class distribution.
    batch_size : int or 'auto', default='auto'
        Documents per gradient step. 'auto' takes 64 below 10,000 training
        documents, 128 below 50,000 and 256 from there on: small data keeps
        many updates per epoch, and on large data bigger batches make an
        epoch faster (see benchmarks/results/speed.md). The value used is
        ``batch_size_``.
        Prediction runs in batches of 1024 (``predict__batch_size`` changes it).
    epochs : int, default={epochs}
        Maximum number of passes over the training data.
    early_stopping : bool, default=True
        Hold out a stratified ``validation_fraction`` of the training data and
        stop when its loss (or the ``scoring`` score) has not improved for
        ``patience`` epochs, restoring the weights of the best epoch. When the data is too small to hold out
        at least one document of some class, training uses all of it and runs
        ``epochs`` epochs.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping, per class
        (per rarest label for multi-label).
    patience : int, default={patience}
        Epochs without improvement of the validation loss (or the ``scoring``
        score) before stopping.
    scoring : str or callable, default='auto'
        What early stopping watches on the hold-out, and so which epoch's
        weights are kept. 'loss' is the validation loss (lower is better).
        'auto' is 'average_precision' for multi-label targets, where a loss
        dominated by the frequent labels stops before the rare ones are
        learnt, and 'loss' otherwise.
        Anything else is a scikit-learn scorer (greater is better) computed
        on the hold-out after every epoch, from the labels as given to
        ``fit`` and the predictions of that epoch's network: a name from
        :func:`sklearn.metrics.get_scorer_names` (e.g. 'f1_macro',
        'balanced_accuracy', 'roc_auc_ovr', 'neg_log_loss'; for multi-label
        targets e.g. 'average_precision', 'roc_auc', or 'f1_macro' on the
        0.5 threshold of ``predict``) or a callable ``scorer(estimator, X,
        y)``, called with an object that has the estimator's ``classes_``
        (for multi-label targets one ``[0, 1]`` array per label, which
        scikit-learn's scorers read as multi-label even for two labels),
        ``predict`` and ``predict_proba``. The score is added to ``history_``
        as ``val_<name>`` (``val_score`` for a callable), replacing a Keras
        value of the same name such as ``val_accuracy``, and is weighted as
        the validation loss is when sample or class weights are given. It
        needs ``early_stopping=True`` (a ValueError otherwise); when the data
        is too small to hold any out, no score is computed and ``epochs``
        epochs run. Scorers that need every class or label present in the
        hold-out (ROC AUC) can fail on small data; a larger
        ``validation_fraction`` helps.
    refit : bool, default={refit}
        After early stopping has chosen the epoch on the hold-out, train the
        network again from its initial weights, on all the rows given
        to ``fit`` (the hold-out included) for ``best_epoch_`` epochs, and
        predict with it, as ``GridSearchCV(refit=True)`` refits the chosen
        settings on all the data: the network also learns from the
        ``validation_fraction`` early stopping held out, and the fit takes
        that many epochs longer.
        No effect without early stopping, when the data is too small to hold
        any out, or on a ``warm_start`` fit that continues an earlier
        network.{refit_note}
    callbacks : list of keras.callbacks.Callback, default=None
        Extra Keras callbacks for training (given to both trainings when
        ``refit`` applies).
    warm_start : bool, default=False
        Keep training the existing network on a new ``fit`` instead of
        building a fresh one.
    random_state : int, RandomState instance or None, default=None
        Seed for weight initialisation, shuffling, dropout and the validation
        split. An int makes repeated fits give identical predictions on CPU,
        also inside joblib or Dask workers: every layer gets its own seed
        derived from it, so what other threads draw from Python's global
        ``random`` cannot change the network. Fitting also seeds Python's,
        NumPy's and the Keras backend's global random generators.
    verbose : int, default=0
        Keras progress output: 0 silent, 1 progress bar, 2 one line per epoch.
    dtype_policy : str, default=None
        Keras dtype policy the network is built with: 'float32', or
        'mixed_bfloat16' (bfloat16 computation, float32 weights) or
        'mixed_float16'; None takes Keras' global policy (float32 unless
        set). The output layer computes in float32 under any policy, so the
        probabilities and the loss keep full precision. Measured on a CPU
        with AVX512-BF16 and AMX (benchmarks/results/speed.md, precision
        section, 800 documents, 3 epochs): TensorFlow's CNN epochs 1.54x as
        fast in 'mixed_bfloat16' and its LSTM 0.94x; under JAX the CNN is
        0.84x and the LSTM 0.20x as fast, so bfloat16 is emulated rather
        than accelerated there. On a CPU without AMX the TensorFlow CNN
        gained nothing (1.05x). Hence the float32 default on CPUs; try it
        with TensorFlow's CNN where the CPU has AMX, and on accelerators
        with bfloat16 units.
    **routed_params : dict
        Nested parameters with a prefix: ``optimizer__``, ``loss__`` (settings
        of the imbalance losses chosen by name), ``fit__`` (passed to
        ``keras.Model.fit``), ``predict__`` (to ``keras.Model.predict``) or
        ``callbacks__``. Any other name raises a TypeError in ``fit``."""

SHARED_ATTRIBUTES_DOC = """\
    classes_ : ndarray of shape (n_classes,)
        Class labels; ``arange(n_labels)`` for multi-label targets.
    n_classes_ : int
        Number of classes (labels for multi-label).
    target_type_ : {'binary', 'multiclass', 'multilabel-indicator'}
        Target type seen in ``fit``; it chose the head and the loss.
    n_features_in_ : int
        Length of the token sequences seen in ``fit``.
    vocab_size_ : int
        Largest token id seen in ``fit`` plus one: the embedding's row count.
    vocabulary_ : dict of str to int
        Token to id (from 2), learnt in ``fit`` when X holds token strings;
        absent when X holds ids.
    embedding_coverage_ : float
        Share of ``vocabulary_`` words that got a pre-trained vector; only
        with ``embeddings``.
    model_ : keras.Model
        The trained network.
    history_ : dict of str to list of float
        Per-epoch training and validation ('val_' prefix) loss and metrics,
        with the ``scoring`` score (e.g. 'val_f1_macro') unless it is 'loss'.
    class_weight_ : {'balanced', 'balanced_log'}, dict or None
        The ``class_weight`` the last ``fit`` used ('auto' resolved).
    batch_size_ : int
        Documents per gradient step used in the last ``fit``.
    n_iter_ : int
        Epochs run.
    best_epoch_ : int
        Epoch (from 1) whose weights were kept: the lowest validation loss,
        or highest ``scoring`` score, when early stopping ran, else the last.
        With ``refitted_``, the number of epochs the final network trained on
        all the rows.
    refitted_ : bool
        Whether the final network was trained again on all the rows
        (``refit``); ``history_`` and ``n_iter_`` describe the training with
        the hold-out that chose the epoch."""


_REFIT_OFF = ("\n        Off by default for this model: measured so far only on\n"
              "        :class:`NgramClassifier`, and here the extra epochs cost most.")


def fill_shared_doc(**defaults):
    """Decorator that inserts the shared sections, with the model's ``defaults``, into a class docstring.

    Parameters
    ----------
    **defaults : dict
        The defaults the shared parameter section leaves open
        (``embedding_dim``, ``dropout``, ``learning_rate``, ``epochs``, ``patience``,
        ``class_weight``; ``refit`` is False unless given, ``refit_note``
        adds the model's measurements to ``refit``'s description; ``learning_rate_type``
        and ``learning_rate_auto`` describe a learning rate that can be 'auto').
    """
    return insert_doc_sections(shared_parameters=SHARED_PARAMETERS_DOC.format(
        **{"refit": False, "refit_note": _REFIT_OFF, "learning_rate_type": "float",
           "learning_rate_auto": "", **defaults}),
                               shared_attributes=SHARED_ATTRIBUTES_DOC)

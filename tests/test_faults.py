"""Faults during training and use: non-finite losses, interruptions, refits and threads."""

import pickle
import signal
from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skltext import CNNClassifier, LSTMClassifier, TextTokenizer
from skltext.models._faults import NonFiniteLossError, TrainingInterruptedWarning
from skltext.models._interrupts import deferring_ctrl_c

from .conftest import tiny


class _InterruptAt(keras.callbacks.Callback):
    """Raise KeyboardInterrupt when epoch ``epoch`` (from 0) begins, as Ctrl-C would."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def _infinite_loss(y_true, y_pred):
    return -keras.ops.log(y_pred * 0.0)


@pytest.fixture(scope="module")
def ids_and_labels(binary_corpus):
    texts, y = binary_corpus
    return TextTokenizer(max_len=12).fit_transform(texts), y


@pytest.mark.parametrize(
    "params, which",
    [
        ({"optimizer": "sgd", "learning_rate": 1e30}, "training loss became (nan|inf)"),
        ({"loss": _infinite_loss, "early_stopping": False}, "training loss became (nan|inf)"),
    ],
    ids=["diverging learning rate", "loss outside its domain"],
)
def test_non_finite_loss_stops_with_a_clear_error(params, which, ids_and_labels):
    """Check that a NaN or infinite loss raises, names the causes and leaves no NaN-predicting model."""
    ids, y = ids_and_labels
    model = tiny(CNNClassifier, epochs=5, **params)
    with pytest.raises(NonFiniteLossError, match=f"{which} in epoch 1.*learning_rate.*loss") as info:
        model.fit(ids, y)
    assert isinstance(info.value, ValueError) and isinstance(info.value, FloatingPointError)
    assert not hasattr(model, "model_") and not hasattr(model, "history_")
    with pytest.raises(NotFittedError):
        model.predict(ids)


def test_interrupt_after_finished_epochs_keeps_the_best_weights(ids_and_labels):
    """Check that Ctrl-C in epoch 3 leaves the model of a clean 2-epoch fit, warns, and re-raises."""
    ids, y = ids_and_labels
    interrupted = tiny(LSTMClassifier, epochs=5, callbacks=[_InterruptAt(2)])
    with pytest.warns(TrainingInterruptedWarning, match="after 2 finished epoch.*fitted with the weights"):
        with pytest.raises(KeyboardInterrupt):
            interrupted.fit(ids, y)
    reference = tiny(LSTMClassifier, epochs=2).fit(ids, y)
    assert interrupted.history_ == reference.history_
    assert interrupted.n_iter_ == 2 and interrupted.best_epoch_ == reference.best_epoch_
    np.testing.assert_allclose(interrupted.predict_proba(ids), reference.predict_proba(ids), rtol=1e-5)


def _press_ctrl_c():
    """Run the SIGINT handler as a key press does, at a point where TensorFlow's C++ may have called into Python
    and would swallow a KeyboardInterrupt."""
    try:
        signal.getsignal(signal.SIGINT)(signal.SIGINT, None)
    except KeyboardInterrupt:
        pass


class _CtrlCAt(keras.callbacks.Callback):
    """Press Ctrl-C when epoch ``epoch`` (from 0) begins, or after the last batch with ``epoch=None``."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            _press_ctrl_c()

    def on_train_end(self, logs=None):
        if self.epoch is None:
            _press_ctrl_c()


@pytest.fixture
def python_sigint_handler():
    """Python's own SIGINT handler, as in a user's program (a test worker process may ignore SIGINT)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("epoch", [2, None], ids=["as epoch 3 begins", "after the last batch"])
def test_ctrl_c_during_fit_stops_training_between_batches(ids_and_labels, python_sigint_handler, epoch):
    """Check that Ctrl-C pressed inside the backend's calls still stops training, with the finished epochs kept."""
    ids, y = ids_and_labels
    interrupted = tiny(LSTMClassifier, epochs=2 if epoch is None else 5, callbacks=[_CtrlCAt(epoch)])
    with pytest.warns(TrainingInterruptedWarning, match="after 2 finished epoch"):
        with pytest.raises(KeyboardInterrupt):
            interrupted.fit(ids, y)
    assert interrupted.n_iter_ == 2
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    # Nothing of the press is left over for the next fit.
    assert tiny(LSTMClassifier, epochs=2).fit(ids, y).n_iter_ == 2


def test_second_ctrl_c_interrupts_at_once(python_sigint_handler):
    """Check that the first Ctrl-C of a fit is deferred to the next batch and a second one raises at once."""
    with deferring_ctrl_c() as ctrl_c:
        handler = signal.getsignal(signal.SIGINT)
        handler(signal.SIGINT, None)
        assert ctrl_c.pressed
        with pytest.raises(KeyboardInterrupt):
            handler(signal.SIGINT, None)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_sigint_handler_that_does_not_interrupt_is_respected(ids_and_labels):
    """Check that a program's own SIGINT handler that does not raise lets training go on, and is restored."""
    ids, y = ids_and_labels
    presses = []

    def count_presses(signum, frame):
        presses.append(signum)

    previous = signal.signal(signal.SIGINT, count_presses)
    try:
        fitted = tiny(LSTMClassifier, epochs=3, callbacks=[_CtrlCAt(1)]).fit(ids, y)
        assert signal.getsignal(signal.SIGINT) is count_presses
    finally:
        signal.signal(signal.SIGINT, previous)
    assert presses == [signal.SIGINT] and fitted.n_iter_ == 3


def test_sigint_handler_is_left_alone_outside_the_main_thread(ids_and_labels, python_sigint_handler):
    """Check that a fit in a worker thread trains without touching the SIGINT handler (only the main thread may)."""
    ids, y = ids_and_labels
    with ThreadPoolExecutor(1) as pool:
        fitted = pool.submit(tiny(LSTMClassifier, epochs=2).fit, ids, y).result()
    assert fitted.n_iter_ == 2 and signal.getsignal(signal.SIGINT) is signal.default_int_handler


class _InterruptSecondTraining(keras.callbacks.Callback):
    """Raise KeyboardInterrupt in the first epoch of the second ``keras.Model.fit`` call (refit's)."""

    trainings = 0

    def on_train_begin(self, logs=None):
        self.trainings += 1

    def on_epoch_end(self, epoch, logs=None):
        if self.trainings == 2:
            raise KeyboardInterrupt


def test_interrupted_refit_keeps_the_network_early_stopping_chose(ids_and_labels):
    """Check that Ctrl-C while refit=True trains on all rows leaves the hold-out run's network, warns
    and re-raises."""
    ids, y = ids_and_labels
    interrupted = tiny(LSTMClassifier, epochs=3, refit=True, callbacks=[_InterruptSecondTraining()])
    with pytest.warns(TrainingInterruptedWarning, match="refit=True.*keeps the network early stopping chose"):
        with pytest.raises(KeyboardInterrupt):
            interrupted.fit(ids, y)
    reference = tiny(LSTMClassifier, epochs=3).fit(ids, y)
    assert interrupted.history_ == reference.history_ and not interrupted.refitted_
    np.testing.assert_allclose(interrupted.predict_proba(ids), reference.predict_proba(ids), rtol=1e-5)


@pytest.mark.parametrize(
    "params",
    [{"callbacks": [_InterruptAt(0)]}, {"callbacks": [_InterruptAt(2)], "early_stopping": False}],
    ids=["in the first epoch", "without early stopping"],
)
def test_interrupt_without_kept_weights_leaves_the_estimator_unfitted(params, ids_and_labels):
    """Check that an interruption with no finished best epoch leaves nothing half-built."""
    ids, y = ids_and_labels
    model = tiny(CNNClassifier, epochs=4, **params)
    with pytest.warns(TrainingInterruptedWarning, match="left unfitted"):
        with pytest.raises(KeyboardInterrupt):
            model.fit(ids, y)
    assert [key for key in vars(model) if key.endswith("_") and not key.startswith("_")] == []
    with pytest.raises(NotFittedError):
        model.predict(ids)


def test_second_fit_builds_a_fresh_model(ids_and_labels, multiclass_corpus):
    """Check that refitting shares nothing with the first fit: network, history, target, vocabulary."""
    ids, y = ids_and_labels
    texts, y_multi = multiclass_corpus
    ids_multi = TextTokenizer(max_len=12).fit_transform(texts)
    model = tiny(CNNClassifier, epochs=2).fit(ids_multi, y_multi)
    first_network = model.model_
    model.fit(ids, y)
    fresh = tiny(CNNClassifier, epochs=2).fit(ids, y)
    assert model.model_ is not first_network
    assert model.target_type_ == "binary" and list(model.classes_) == list(fresh.classes_)
    assert model.vocab_size_ == fresh.vocab_size_ and model.model_.output_shape == (None, 1)
    assert model.history_ == fresh.history_
    np.testing.assert_array_equal(model.predict_proba(ids), fresh.predict_proba(ids))


def test_warm_start_extends_the_history(ids_and_labels):
    """Check that warm_start keeps training the same network and appends to history_."""
    ids, y = ids_and_labels
    model = tiny(CNNClassifier, epochs=2, early_stopping=False, warm_start=True).fit(ids, y)
    first_losses = list(model.history_["loss"])
    network = model.model_
    model.fit(ids, y)
    assert model.model_ is network
    assert model.history_["loss"][:2] == first_losses and len(model.history_["loss"]) == 4
    assert model.n_iter_ == 4


def test_concurrent_predict_equals_serial(multiclass_pipeline, multiclass_corpus):
    """Check that predict and predict_proba from 4 threads on one fitted pipeline match serial calls."""
    texts, _ = multiclass_corpus
    # An unpickled copy of the shared pipeline has not built its predict function yet.
    pipe = pickle.loads(pickle.dumps(multiclass_pipeline))
    chunks = [texts[i::4] for i in range(4)]
    # The threads go first, so they also race on building the predict function.
    with ThreadPoolExecutor(max_workers=4) as pool:
        probas = list(pool.map(pipe.predict_proba, chunks * 2))
        labels = list(pool.map(pipe.predict, chunks))
    for chunk, proba in zip(chunks * 2, probas):
        np.testing.assert_array_equal(proba, pipe.predict_proba(chunk))
    for chunk, predicted in zip(chunks, labels):
        np.testing.assert_array_equal(predicted, pipe.predict(chunk))

"""Keep TensorFlow's "triggered tf.function retracing" warning for real retracing only.

TensorFlow counts traces per Python function, across every ``tf.function``
made from it. Keras makes each model's train, test and predict functions from
the same Python functions, so cross-validation, which trains a new model per
fold, and prediction in batches of a few widths (``predict_by_width``) trace
once per model and width, as they must, and TensorFlow then warns about
"creating @tf.function repeatedly in a loop". Marking a model's own functions
tells it that their first traces are expected. Other backends have no such
warning.
"""

__all__ = ["expect_tracing"]

_FUNCTIONS = ("train_function", "test_function", "predict_function")


def _tf_functions(function):
    """The ``tf.function`` objects of a Keras step function: itself, or those its closure holds."""
    if hasattr(function, "_omit_frequent_tracing_warning"):
        yield function
    # Keras' train and test functions are Python closures around tf.functions.
    for cell in getattr(function, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if hasattr(value, "_omit_frequent_tracing_warning"):
            yield value


def expect_tracing(model):
    """Mark the compiled functions ``model`` has so far as expected to trace (TensorFlow backend)."""
    for name in _FUNCTIONS:
        for function in _tf_functions(getattr(model, name, None)):
            function._omit_frequent_tracing_warning = True


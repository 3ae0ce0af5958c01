"""Nested parameters: which prefixes route where, and the optimizer built from them.

``optimizer__beta_1=0.8``, ``loss__gamma=1.0``, ``fit__shuffle=False``,
``predict__batch_size=1024`` and ``callbacks__`` (as scikeras routes it) are
the estimator's parameters too, so that ``set_params`` and searches reach
them; anything else is a misspelling and refused with the closest name.
"""

import difflib

import keras

from ._scalars import python_scalars

__all__ = ["ROUTING_PREFIXES", "check_routed_params", "make_optimizer", "resolve_class_weight", "routed_params"]

ROUTING_PREFIXES = ("optimizer", "loss", "fit", "predict", "callbacks")
# keras.Model.fit arguments the estimator sets itself, and the parameter that controls each.
_RESERVED_FIT_ARGUMENTS = {
    "x": "X", "y": "y", "epochs": "epochs", "initial_epoch": "warm_start",
    "sample_weight": "sample_weight in fit()", "class_weight": "class_weight", "batch_size": "batch_size",
    "validation_data": "validation_fraction", "validation_split": "validation_fraction",
}


def check_routed_params(estimator):
    """Refuse instance attributes that are neither parameters nor nested ones with a known prefix."""
    known = estimator._parameter_constraints
    for key in vars(estimator):
        if key.startswith("_") or key.endswith("_") or key in known:
            continue
        if key.split("__", 1)[0] not in ROUTING_PREFIXES or "__" not in key:
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise TypeError(
                f"{type(estimator).__name__} got an unexpected parameter {key!r}.{hint} Nested "
                f"parameters must start with one of {', '.join(p + '__' for p in ROUTING_PREFIXES)}."
            )
        argument = key.removeprefix("fit__")
        if key.startswith("fit__") and argument in _RESERVED_FIT_ARGUMENTS:
            raise ValueError(f"{key} cannot be routed to keras.Model.fit: the estimator sets "
                             f"{argument!r} itself; use {_RESERVED_FIT_ARGUMENTS[argument]} instead.")


def routed_params(estimator, prefix):
    """The ``<prefix>__*`` parameters, with the prefix removed (NumPy scalars as Python ones)."""
    return {key.split("__", 1)[1]: python_scalars(value) for key, value in estimator.get_params().items()
            if key.startswith(prefix + "__")}


def make_optimizer(estimator):
    """A fresh optimizer from ``optimizer``, ``learning_rate`` and the ``optimizer__*`` parameters."""
    kwargs = routed_params(estimator, "optimizer")
    kwargs["learning_rate"] = python_scalars(estimator._resolved_learning_rate())  # Keras refuses np.float32
    optimizer = estimator.optimizer
    if isinstance(optimizer, str):
        try:
            optimizer_class = type(keras.optimizers.get(optimizer))
        except ValueError:
            raise ValueError(f"Unknown optimizer {optimizer!r}; use a Keras optimizer name such as "
                             "'adam' or an optimizer instance.") from None
        return optimizer_class(**kwargs)
    # An instance is rebuilt from its config so no state carries over between fits.
    config = {**optimizer.get_config(), **kwargs}
    return type(optimizer).from_config(config)


# Losses built by name that weigh the classes themselves.
_CLASS_WEIGHING_LOSSES = ("class_balanced", "logit_adjusted")


def resolve_class_weight(estimator, target_type):
    """The ``class_weight`` a fit uses: 'auto' is 'balanced_log' for multi-class targets, else None.

    Multi-class targets are where rare classes are many and macro-F1 suffers
    from them (benchmarks/results/tune_multiclass_defaults.md); balanced
    batches and the losses that weigh the classes themselves take the place of
    class weights, so 'auto' adds none to them.
    """
    class_weight = estimator.class_weight
    if not (isinstance(class_weight, str) and class_weight == "auto"):
        return class_weight
    loss = estimator.loss
    weighed_elsewhere = estimator.balanced_batches or (isinstance(loss, str) and loss in _CLASS_WEIGHING_LOSSES)
    return "balanced_log" if target_type == "multiclass" and not weighed_elsewhere else None

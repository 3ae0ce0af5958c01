"""A snapshot of a network's variables, to train the same compiled network again from it."""

import keras

__all__ = ["NetworkState"]


class NetworkState:
    """The values of a compiled network's variables, restorable into that network.

    Restoring into the same network object, instead of building a new one,
    keeps the training step the backend has compiled for it: ``refit=True``
    then trains on all the rows without compiling again (seconds, on small
    data most of a refit's time).

    Parameters
    ----------
    model : keras.Model
        A built and compiled network.
    optimizer : bool, default=True
        Whether the state includes the optimizer's variables (its step count,
        learning rate and moment estimates); the optimizer is built first if
        it is not yet.
    """

    def __init__(self, model, *, optimizer=True):
        # model.variables holds the random-seed states of dropout besides the weights,
        # so that training again from this state draws the same dropout masks.
        variables = list(model.variables)
        if optimizer:
            if not model.optimizer.built:
                model.optimizer.build(model.trainable_variables)
            variables += model.optimizer.variables
        self._variables = variables
        # Through a copy: Variable.numpy() and converting a variable directly warn about
        # NumPy 2's copy keyword on one backend or the other.
        self._values = [keras.ops.convert_to_numpy(keras.ops.copy(variable)) for variable in variables]

    def restore(self):
        """Assign the saved values back to the network's variables."""
        for variable, value in zip(self._variables, self._values):
            variable.assign(value)

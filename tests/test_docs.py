"""The public estimators document every parameter, with the default they really have."""

import ast
import inspect
import re

import pytest

from skltext import CNNClassifier, LSTMClassifier, NgramClassifier, TextTokenizer, ThresholdOptimizer
from skltext.calibration import TemperatureCalibratedClassifier
from skltext.ensemble import DeepLinearClassifier
from skltext.sampling import MultilabelRandomOverSampler, MultilabelRandomUnderSampler

ESTIMATORS = [CNNClassifier, LSTMClassifier, NgramClassifier, DeepLinearClassifier, TemperatureCalibratedClassifier,
              TextTokenizer, ThresholdOptimizer, MultilabelRandomOverSampler, MultilabelRandomUnderSampler]
# numpydoc parameter lines: "    name : type, default=value"
PARAMETER_LINE = re.compile(r"^    (\w+) : .*$", re.MULTILINE)
DEFAULT = re.compile(r"default=(.+)$")


def documented_parameters(cls):
    """{name: documented default text or None} from the Parameters section of the class docstring."""
    section = cls.__doc__.split("Parameters\n    ----------\n", 1)[1].split("\n\n    Attributes", 1)[0]
    documented = {}
    for line in PARAMETER_LINE.finditer(section):
        default = DEFAULT.search(line.group(0))
        documented[line.group(1)] = default.group(1) if default else None
    return documented


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda cls: cls.__name__)
def test_every_parameter_is_documented_with_its_real_default(cls):
    signature = inspect.signature(cls.__init__).parameters
    parameters = {name: p.default for name, p in signature.items()
                  if name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD}
    documented = documented_parameters(cls)
    assert set(parameters) <= set(documented), f"undocumented: {sorted(set(parameters) - set(documented))}"
    for name, default in parameters.items():
        text = documented[name]
        if default is inspect.Parameter.empty:
            assert text is None, f"{cls.__name__}.{name} is required but documents default={text}"
            continue
        assert text is not None, f"{cls.__name__}.{name} documents no default"
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = text  # a description such as "default=None (all of them)"
        assert value == default or str(value) == str(default), (
            f"{cls.__name__}.{name}: documented default={text}, signature has {default!r}")


def test_the_cnn_and_lstm_document_their_own_patience():
    assert documented_parameters(CNNClassifier)["patience"] == str(CNNClassifier().patience) == "5"
    assert documented_parameters(LSTMClassifier)["patience"] == str(LSTMClassifier().patience) == "3"

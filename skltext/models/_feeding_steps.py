"""Checks on the pipeline steps that feed a model its token ids.

A model fitted as the last step of a pipeline sees only the matrix handed to
it, and two kinds of earlier step turn that matrix into something other than
one tokenizer's ids without the matrix reliably showing it:

- A sampler that synthesises rows (SMOTE and its variants, ADASYN,
  ClusterCentroids, SMOTEENN, SMOTETomek) interpolates ids: halfway between
  'film' (id 3) and 'plot' (id 4) is 3.5, cast back to 3, a word neither
  document has at that position. Samplers that select rows
  (RandomOverSampler, the under-samplers and cleaners, skltext's multi-label
  samplers) return rows of their input and say which in ``sample_indices_``
  after ``fit_resample``. A sampler without it is refused, whatever its class
  is called; one that selects rows but does not set it (a
  ``FunctionSampler``, say) is refused too, as nothing shows which it does.
- A ColumnTransformer or FeatureUnion that joins several blocks (token ids
  and passthrough numbers, or two tokenizers' ids) makes the model read
  numbers and ids of another vocabulary as words.

The model finds the pipeline that is fitting it on the call stack:
scikit-learn's and imbalanced-learn's ``Pipeline.fit`` call the last step's
``fit`` directly, after replacing the earlier steps by their fitted clones.
Data resampled or joined by hand and then given to ``fit``, or a
ColumnTransformer nested inside another step, are not seen here. The matrix
itself cannot settle it: a length column after pre-padded ids looks like one
more token, and interpolated rows look like documents.
"""

import inspect

from sklearn.pipeline import Pipeline

__all__ = ["check_feeding_steps"]

SIDE_FEATURES_HINT = (
    "To use numeric or categorical side features as well, fit the text model and a tabular model each "
    "on its own columns and combine them, e.g. with sklearn.ensemble.StackingClassifier (see "
    "'Text plus tabular features' in docs/user_guide.md)."
)

# Frames between this check and the Pipeline.fit that called the model's fit: the model's
# fit, scikit-learn's _fit_context wrapper, perhaps a subclass's fit calling super().fit.
_MAX_FRAMES = 8


def _enclosing_pipeline(model):
    """The Pipeline whose ``fit`` is fitting ``model`` as its last step, or None."""
    frame = inspect.currentframe()
    try:
        for _ in range(_MAX_FRAMES):
            frame = frame.f_back
            if frame is None:
                return None
            if frame.f_code.co_name != "fit":
                continue
            owner = frame.f_locals.get("self")
            if isinstance(owner, Pipeline) and owner.steps and owner.steps[-1][1] is model:
                return owner
        return None
    finally:
        del frame  # frames refer to their locals; do not keep them alive


def _is_skipped(step):
    return step is None or (isinstance(step, str) and step == "passthrough")


def _check_samplers(steps, name):
    for step_name, step in steps:
        if isinstance(step, Pipeline):  # a nested pipeline, which may end in a sampler
            _check_samplers(step.steps, name)
            continue
        if _is_skipped(step) or not hasattr(step, "fit_resample"):
            continue
        if not hasattr(step, "sample_indices_"):
            raise ValueError(
                f"{name} cannot learn from the rows of {type(step).__name__} (step {step_name!r}): it does "
                f"not report which input rows it kept (no sample_indices_ after fit_resample), as samplers "
                f"that synthesise rows (SMOTE, ADASYN, ClusterCentroids and their variants) do not. Rows "
                f"interpolated between token ids are not documents: id 3.5 between 'film' (3) and 'plot' (4) "
                f"becomes word 3. Use a sampler that selects documents: RandomOverSampler or "
                f"RandomUnderSampler (imblearn), MultilabelRandomOverSampler or MultilabelRandomUnderSampler "
                f"(skltext.sampling), or class_weight / balanced_batches on {name}."
            )


def _feeding_step(steps):
    """The last transformer of ``steps``, looking past samplers and into nested pipelines."""
    for step_name, step in reversed(steps):
        if isinstance(step, Pipeline):
            found = _feeding_step(step.steps)
            if found is not None:
                return found
            continue
        if _is_skipped(step) or hasattr(step, "fit_resample"):
            continue
        return step_name, step
    return None


def _joined_blocks(step):
    """Names of the non-empty blocks a fitted ColumnTransformer or FeatureUnion joins side by side."""
    output_indices = getattr(step, "output_indices_", None)
    if isinstance(output_indices, dict):  # ColumnTransformer (the remainder included)
        return [block for block, columns in output_indices.items() if columns.stop > columns.start]
    transformer_list = getattr(step, "transformer_list", None)
    if isinstance(transformer_list, list):  # FeatureUnion
        return [block for block, transformer in transformer_list if not _is_dropped(transformer)]
    return []


def _is_dropped(transformer):
    return transformer is None or (isinstance(transformer, str) and transformer == "drop")


def _check_feeding_transformer(steps, name):
    feeding = _feeding_step(steps)
    if feeding is None:
        return
    step_name, step = feeding
    blocks = _joined_blocks(step)
    if len(blocks) > 1:
        raise ValueError(
            f"{name} reads every column of X as a token id of one tokenizer, but {type(step).__name__} "
            f"(step {step_name!r}) joins {len(blocks)} blocks side by side ({', '.join(map(repr, blocks))}): "
            f"the numbers of a passthrough or numeric block would be read as words, and a second "
            f"tokenizer's ids index another vocabulary. Give the model one TextTokenizer's output alone "
            f"(a ColumnTransformer with that single transformer and remainder='drop' is fine). "
            f"{SIDE_FEATURES_HINT}"
        )


def check_feeding_steps(model):
    """Refuse synthesising samplers and joined feature blocks before ``model`` in its pipeline.

    Does nothing when ``model`` is not being fitted as the last step of a
    scikit-learn or imbalanced-learn :class:`~sklearn.pipeline.Pipeline`.

    Parameters
    ----------
    model : BaseTextClassifier
        The model whose ``fit`` is running.

    Raises
    ------
    ValueError
        If an earlier step is a sampler without ``sample_indices_``, or the
        step feeding the model joins several feature blocks.
    """
    pipeline = _enclosing_pipeline(model)
    if pipeline is None:
        return
    name = type(model).__name__
    _check_samplers(pipeline.steps[:-1], name)
    _check_feeding_transformer(pipeline.steps[:-1], name)

"""Docstring sections shared by several estimators, written once.

A class docstring holds a placeholder such as ``{shared_parameters}`` on a
line of its own; :func:`insert_doc_sections` replaces the placeholders it is
given and leaves every other brace alone (parameter docs are full of set
literals such as ``{'lstm', 'gru'}``, which ``str.format`` would read as
fields).
"""

__all__ = ["insert_doc_sections"]


def insert_doc_sections(**sections):
    """Decorator (for a class or a function) that replaces ``{name}`` in the docstring by ``sections[name]``.

    Parameters
    ----------
    **sections : dict of str to str
        The text of each placeholder.

    Raises
    ------
    ValueError
        If a placeholder is missing from the docstring, so a section cannot be
        silently left out.
    """

    def decorate(cls):
        doc = cls.__doc__
        for name, text in sections.items():
            placeholder = "{" + name + "}"
            if placeholder not in doc:
                raise ValueError(f"The docstring of {cls.__name__} has no {placeholder} placeholder.")
            doc = doc.replace(placeholder, text)
        cls.__doc__ = doc
        return cls

    return decorate

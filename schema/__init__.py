"""The governance graph model (labels, relationship types, vocabularies) and
the statements generated from it for each engine. See ``schema/README.md``."""

from .model import *  # noqa: F403
from .model import __all__ as _model_all

__all__ = list(_model_all)

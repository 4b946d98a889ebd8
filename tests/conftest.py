"""Suite-wide settings.

The tests never load the shipped quote tagger (``models/quotes-minilm``): a pipeline built with the
default settings, here or in a ``stance`` subprocess, finds quotes by the rules (``$STANCE_QUOTES``),
and the tagger path is tested with a tiny tagger trained in the session (tests/test_quote_tagger.py).
"""

import os


def pytest_configure(config):
    os.environ.setdefault("STANCE_QUOTES", "rules")

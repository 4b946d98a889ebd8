"""From a corpus run to findings: tidy tables, speakers and targets across documents, summaries, plots.

``frame.py`` (``stance.to_frame``), ``speakers.py`` (one ``speaker_id`` per person across documents),
``summary.py`` (``stance.summarize``, Wilson intervals), ``plots.py`` (two matplotlib plots). Target
aliases and groups live with the targets step, in ``stance.targets.groups``.
"""

"""The four stance labels, in the order the model's output layer uses.

Grounded in the CAMEO and PLOVER event codebooks (see ``docs/annotation-guidelines.md``):
de-escalation ~ CAMEO 0256, 026-028, 0356, 036-039, 045, 087; condemnation ~ CAMEO 111, 112, 114
(PLOVER ACCUSE); commitment ~ CAMEO 03 (PLOVER AGREE, CONCEDE as promises); other: the rest.
"""

LABELS: tuple[str, ...] = ("de-escalation", "condemnation", "commitment", "other")
LABEL_TO_ID: dict[str, int] = {label: i for i, label in enumerate(LABELS)}

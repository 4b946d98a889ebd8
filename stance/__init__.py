"""stance: quotations, speakers and stances in news articles.

    >>> import stance
    >>> doc = stance.analyze('"We will not back down," the minister said.')
    >>> doc.quotes[0].speaker.mention.text
    'the minister'
"""

from stance.document import Document, Quote, Span, Speaker, Stance
from stance.pipeline import Pipeline, analyze, find_quotes

__all__ = ["Document", "Pipeline", "Quote", "Span", "Speaker", "Stance", "analyze", "find_quotes"]
__version__ = "0.1.0"

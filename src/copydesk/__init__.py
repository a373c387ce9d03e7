"""copydesk: a copy desk for a pile of news articles.

Library first: every CLI verb is a function here of the same name.
"""

from copydesk.analyze.similarity import SAME_FACT_THRESHOLD, similarity
from copydesk.desk import Desk
from copydesk.errors import CopydeskError, InputError, MissingDependency
from copydesk.models import Article, Corpus, Dropped, InputFailure, RawDocument, Sentence
from copydesk.pipeline import analyze, clean
from copydesk.stories import find_near_duplicates, group_stories

__version__ = "0.1.0"

__all__ = [
    "SAME_FACT_THRESHOLD",
    "Article",
    "CopydeskError",
    "Corpus",
    "Desk",
    "Dropped",
    "InputError",
    "InputFailure",
    "MissingDependency",
    "RawDocument",
    "Sentence",
    "__version__",
    "analyze",
    "clean",
    "find_near_duplicates",
    "group_stories",
    "similarity",
]

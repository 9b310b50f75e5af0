"""Offline search: `hepqa search` and `hepqa ask` over the knowledge base, and the site's lexical index."""

from hepqa.search._ask import ASK_THRESHOLD as ASK_THRESHOLD
from hepqa.search._ask import STATIC_ASK_THRESHOLD as STATIC_ASK_THRESHOLD
from hepqa.search._ask import AskResult as AskResult
from hepqa.search._ask import ask as ask
from hepqa.search._ask import threshold_for as threshold_for
from hepqa.search._engine import MODELS as MODELS
from hepqa.search._engine import AnswerHit as AnswerHit
from hepqa.search._engine import PaperHit as PaperHit
from hepqa.search._engine import Searcher as Searcher
from hepqa.search._engine import SearchResult as SearchResult
from hepqa.search._mathtext import math_to_text as math_to_text
from hepqa.search._mathtext import plain_text as plain_text
from hepqa.search._mathtext import search_forms as search_forms

"""hepqa: a question-and-answer knowledge site over particle-physics preprints.

The package is split by what flows through it: `hepqa.corpus` (arXiv metadata) → `hepqa.embed`
(sentence embeddings) → `hepqa.retrieve` (dense + lexical ranking) → `hepqa.answers` (curated answers and
their sources) → `hepqa.site` (generated pages and the mkdocs-material build). The EFT fitting core,
`hepqa.eft`, depends on none of these.
"""

from importlib.metadata import PackageNotFoundError, version

from hepqa.errors import AnswerError as AnswerError
from hepqa.errors import CorpusError as CorpusError
from hepqa.errors import EmbeddingError as EmbeddingError
from hepqa.errors import HepqaError as HepqaError
from hepqa.errors import SiteBuildError as SiteBuildError

try:
    __version__ = version("hepqa")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

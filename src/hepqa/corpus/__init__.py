"""The preprint corpus: reading arXiv metadata, validating it, and storing it in `kb/corpus/`."""

from hepqa.corpus._formats import LineError as LineError
from hepqa.corpus._formats import read_records as read_records
from hepqa.corpus._record import Record as Record
from hepqa.corpus._record import normalise_arxiv_id as normalise_arxiv_id
from hepqa.corpus._record import record_text as record_text
from hepqa.corpus._store import CORPUS_FILE as CORPUS_FILE
from hepqa.corpus._select import Selection as Selection
from hepqa.corpus._store import IngestReport as IngestReport
from hepqa.corpus._store import format_problems as format_problems
from hepqa.corpus._store import ingest as ingest
from hepqa.corpus._store import is_newer as is_newer
from hepqa.corpus._store import load_corpus as load_corpus
from hepqa.corpus._store import write_corpus as write_corpus
from hepqa.corpus._sentences import split_sentences as split_sentences

"""Curated answers: schema, loading, citation checks, and the sources shown with each answer."""

from hepqa.answers._load import LoadedAnswer as LoadedAnswer
from hepqa.answers._load import load_answers as load_answers
from hepqa.answers._schema import Answer as Answer
from hepqa.answers._schema import citations_in as citations_in
from hepqa.answers._sources import AnswerSources as AnswerSources
from hepqa.answers._sources import Source as Source
from hepqa.answers._sources import assemble_sources as assemble_sources

"""Retrieval: the glossary, glossary-aware query expansion, ranking (dense, BM25, hybrid), its evaluation."""

from hepqa.retrieve._evaluate import EvalQuery as EvalQuery
from hepqa.retrieve._evaluate import Metrics as Metrics
from hepqa.retrieve._evaluate import evaluate as evaluate
from hepqa.retrieve._evaluate import load_eval_set as load_eval_set
from hepqa.retrieve._evaluate import ndcg_at_k as ndcg_at_k
from hepqa.retrieve._evaluate import recall_at_k as recall_at_k
from hepqa.retrieve._evaluate import reciprocal_rank as reciprocal_rank
from hepqa.retrieve._evaluate import summarise as summarise
from hepqa.retrieve._evaluate import title_queries as title_queries
from hepqa.retrieve._glossary import GlossaryEntry as GlossaryEntry
from hepqa.retrieve._glossary import expand_query as expand_query
from hepqa.retrieve._glossary import load_glossary as load_glossary
from hepqa.retrieve._ids import QueryIds as QueryIds
from hepqa.retrieve._ids import has_words as has_words
from hepqa.retrieve._ids import split_ids as split_ids
from hepqa.retrieve._rank import DEFAULT_RANKER as DEFAULT_RANKER
from hepqa.retrieve._rank import MINMAX_WEIGHT as MINMAX_WEIGHT
from hepqa.retrieve._rank import RANKERS as RANKERS
from hepqa.retrieve._rank import RRF_K as RRF_K
from hepqa.retrieve._rank import ZMIX_WEIGHT as ZMIX_WEIGHT
from hepqa.retrieve._rank import Hit as Hit
from hepqa.retrieve._rank import Ranker as Ranker
from hepqa.retrieve._rank import Retriever as Retriever
from hepqa.retrieve._rank import rank_scores as rank_scores
from hepqa.retrieve._rank import similarity as similarity

"""Topics of the corpus: clusters of the record embeddings, their names, and a 2-D map."""

from hepqa.topics._cluster import TOPICS_FILE as TOPICS_FILE
from hepqa.topics._cluster import Topic as Topic
from hepqa.topics._cluster import Topics as Topics
from hepqa.topics._cluster import compute_topics as compute_topics
from hepqa.topics._cluster import load_topics as load_topics
from hepqa.topics._cluster import save_topics as save_topics
from hepqa.topics._cluster import update_topics as update_topics
from hepqa.topics._cluster import vectors_hash as vectors_hash

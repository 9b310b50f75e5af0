"""Sentence embeddings of the corpus and of the texts compared with it, cached by content hash."""

from hepqa.embed._model import MODEL_PACKAGE as MODEL_PACKAGE
from hepqa.embed._model import Encoder as Encoder
from hepqa.embed._model import MiniLMEncoder as MiniLMEncoder
from hepqa.embed._model import model_id as model_id
from hepqa.embed._pipeline import EMBEDDINGS_DIR as EMBEDDINGS_DIR
from hepqa.embed._pipeline import StoreUpdate as StoreUpdate
from hepqa.embed._pipeline import load_store as load_store
from hepqa.embed._pipeline import update_store as update_store
from hepqa.embed._ray import RayEncoder as RayEncoder
from hepqa.embed._store import VectorStore as VectorStore
from hepqa.embed._store import text_key as text_key

"""The static site: page generation and the mkdocs-material build."""

from hepqa.site._build import BuildReport as BuildReport
from hepqa.site._build import build_site as build_site
from hepqa.site._changes import STATE_FILE as STATE_FILE
from hepqa.site._changes import ChangeReport as ChangeReport
from hepqa.site._html import escape as escape
from hepqa.site._html import text_with_math as text_with_math
from hepqa.site._pages import similarity_percent as similarity_percent

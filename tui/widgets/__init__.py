"""The reader's widgets: they display what a screen gives them and report what the user does."""

from .paper_detail import PaperDetail
from .paper_list import PaperList
from .search_bar import SearchBar
from .status_bar import StatusBar, StatusState

__all__ = ["PaperDetail", "PaperList", "SearchBar", "StatusBar", "StatusState"]
